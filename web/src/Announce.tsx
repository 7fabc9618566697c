/** A failure, said at once to screen readers (role="alert"), shown only while there is one. */
export function ProblemAlert(props: { problem: string | undefined }) {
  return props.problem ? (
    <p className="problem" role="alert">
      {props.problem}
    </p>
  ) : null;
}

/** A sentence for screen readers only ("Saved."), announced whenever it changes. */
export function StatusMessage(props: { text: string | undefined }) {
  return (
    <p className="visually-hidden" role="status">
      {props.text}
    </p>
  );
}
