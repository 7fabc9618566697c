import { ApiError } from './telegram-emulator-format.ts';
import type { Params } from './telegram-emulator-http.ts';

export interface WebhookDelivery {
  update_id: number;
  status: number;
}

/**
 * Incoming updates and how the bot receives them: long polling (getUpdates with offset and
 * timeout) or, once setWebhook was called, POSTs to the webhook one at a time as Telegram does.
 */
export class UpdateQueue {
  private nextUpdateId = 1;
  private readonly updates: Array<{ update_id: number } & Params> = [];
  private readonly pollers = new Set<() => void>();
  /** Who waits for a long poll to be held open (see whenPolling). */
  private readonly pollWatchers: Array<() => void> = [];
  private webhook: { url: string; secret?: string } | undefined;
  private delivering = false;
  private readonly deliveryLog: WebhookDelivery[] = [];
  private closed = false;

  /** Queues an update and wakes a waiting long poll (or delivers it to the webhook); returns its update_id. */
  push(payload: Params): number {
    const update = { update_id: this.nextUpdateId++, ...payload };
    this.updates.push(update);
    for (const wake of [...this.pollers]) wake();
    if (this.webhook) void this.deliver();
    return update.update_id;
  }

  /** Updates queued and not yet confirmed by the bot (getUpdates offset) or delivered to the webhook. */
  get pending(): number {
    return this.updates.length;
  }

  deliveries(): WebhookDelivery[] {
    return [...this.deliveryLog];
  }

  /** Resolves once a getUpdates long poll is being held open, waiting for an update. */
  whenPolling(): Promise<void> {
    if (this.pollers.size > 0) return Promise.resolve();
    return new Promise((resolve) => this.pollWatchers.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const wake of this.pollers) wake();
  }

  async getUpdates(params: Params): Promise<unknown[]> {
    if (this.webhook) {
      throw new ApiError({
        error_code: 409,
        description:
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      });
    }
    const offset = Number(params.offset ?? 0);
    // https://core.telegram.org/bots/api#getupdates: an offset confirms every update before it.
    if (offset > 0) {
      while (this.updates.length > 0 && (this.updates[0]?.update_id ?? 0) < offset) this.updates.shift();
    }
    const limit = Math.min(Math.max(Number(params.limit ?? 100), 1), 100);
    const timeoutMs = Math.max(Number(params.timeout ?? 0), 0) * 1000;
    const take = () => this.updates.filter((u) => u.update_id >= offset).slice(0, limit);
    let batch = take();
    if (batch.length === 0 && timeoutMs > 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.pollers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, timeoutMs);
        this.pollers.add(wake);
        for (const watcher of this.pollWatchers.splice(0)) watcher();
      });
      batch = this.webhook ? [] : take();
    }
    return batch;
  }

  setWebhook(params: Params): true {
    const url = String(params.url ?? '');
    if (url === '') {
      this.webhook = undefined;
      return true;
    }
    this.webhook = {
      url,
      ...(typeof params.secret_token === 'string' ? { secret: params.secret_token } : {}),
    };
    if (params.drop_pending_updates === true) this.updates.length = 0;
    void this.deliver();
    return true;
  }

  deleteWebhook(params: Params): true {
    this.webhook = undefined;
    if (params.drop_pending_updates === true) this.updates.length = 0;
    return true;
  }

  webhookInfo(): Params {
    return {
      url: this.webhook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.updates.length,
    };
  }

  /** Webhook mode: POST queued updates one at a time, as Telegram does, until one is refused. */
  private async deliver(): Promise<void> {
    if (this.delivering) return;
    this.delivering = true;
    try {
      while (this.webhook && !this.closed && this.updates.length > 0) {
        const update = this.updates[0];
        if (!update) break;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (this.webhook.secret) headers['x-telegram-bot-api-secret-token'] = this.webhook.secret;
        let status = 0;
        try {
          const response = await fetch(this.webhook.url, {
            method: 'POST',
            headers,
            body: JSON.stringify(update),
          });
          status = response.status;
          await response.arrayBuffer();
        } catch {
          status = 0;
        }
        this.deliveryLog.push({ update_id: update.update_id, status });
        if (status >= 200 && status < 300) {
          this.updates.shift();
        } else {
          // Telegram retries later; tests look at webhookDeliveries() instead of waiting.
          break;
        }
      }
    } finally {
      this.delivering = false;
    }
  }
}
