import { useEffect, useRef } from 'react';
import type { Scope } from './api.ts';
import type { MessageKey, Translate } from './i18n.ts';

const labels: Record<Scope, MessageKey> = {
  this: 'scopeThis',
  following: 'scopeFollowing',
  all: 'scopeAll',
};

/** "This event / This and following / All events", asked before changing or deleting in a series. */
export function ScopeChoice(props: {
  t: Translate;
  question: string;
  scopes: Scope[];
  busy: boolean;
  problem?: string | undefined;
  danger?: boolean;
  onChoose: (scope: Scope) => void;
  onCancel: () => void;
}) {
  const { t } = props;
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <section className="scope-choice" aria-labelledby="scope-choice-title">
      <h2 id="scope-choice-title">{props.question}</h2>
      {props.problem && (
        <p className="problem" role="alert">
          {props.problem}
        </p>
      )}
      <div className="choices">
        {props.scopes.map((scope, index) => (
          <button
            key={scope}
            ref={index === 0 ? first : undefined}
            type="button"
            className={props.danger ? 'danger' : undefined}
            disabled={props.busy}
            onClick={() => props.onChoose(scope)}
          >
            {t(labels[scope])}
          </button>
        ))}
      </div>
      <div className="actions">
        <button type="button" onClick={props.onCancel} disabled={props.busy}>
          {t('cancel')}
        </button>
      </div>
    </section>
  );
}
