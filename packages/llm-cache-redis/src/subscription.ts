import type { Redis } from 'ioredis';
import { redisClientOptions } from './redis-link.js';

/** How long to wait before subscribing again after Redis refused a SUBSCRIBE, in ms. */
const RESUBSCRIBE_DELAY_MS = 1000;

export interface SubscriptionHandlers {
  onMessage(message: string): void;
  /** Called when the subscription is established (again) or lost. */
  onChange(subscribed: boolean): void;
}

/**
 * One channel on a connection of its own (a subscribed connection cannot send other commands),
 * duplicated from the command client so it shares host, auth and TLS. Subscribes again after every
 * reconnection: a Redis restart loses subscriptions, this does not.
 */
export class Subscription {
  readonly channel: string;
  readonly #client: Redis;
  readonly #handlers: SubscriptionHandlers;
  #subscribed = false;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(source: Redis, channel: string, handlers: SubscriptionHandlers) {
    this.channel = channel;
    this.#handlers = handlers;
    this.#client = source.duplicate({ ...redisClientOptions(), lazyConnect: false });
    this.#client.on('ready', this.#subscribe);
    this.#client.on('close', this.#onClose);
    this.#client.on('error', () => {}); // the command link logs state changes; this one follows it
    this.#client.on('message', this.#onMessage);
  }

  /** True while messages on the channel reach this process. */
  get subscribed(): boolean {
    return this.#subscribed;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#client.off('ready', this.#subscribe);
    this.#client.off('close', this.#onClose);
    this.#client.off('message', this.#onMessage);
    this.#client.disconnect();
    this.#subscribed = false;
  }

  readonly #subscribe = (): void => {
    clearTimeout(this.#retry);
    this.#retry = undefined;
    this.#client.subscribe(this.channel).then(
      () => this.#change(true),
      () => {
        if (this.#closed) return;
        this.#retry = setTimeout(() => {
          if (this.#client.status === 'ready') this.#subscribe();
        }, RESUBSCRIBE_DELAY_MS);
        this.#retry.unref();
      },
    );
  };

  readonly #onClose = (): void => {
    this.#change(false);
  };

  readonly #onMessage = (channel: string, message: string): void => {
    if (channel === this.channel) this.#handlers.onMessage(message);
  };

  #change(subscribed: boolean): void {
    if (this.#closed || subscribed === this.#subscribed) return;
    this.#subscribed = subscribed;
    this.#handlers.onChange(subscribed);
  }
}
