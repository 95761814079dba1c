import { performance } from 'node:perf_hooks';
import { type ChannelOptions, connectivityState as ConnectivityState, experimental } from '@grpc/grpc-js';
import { LEAST_REQUEST_POLICY, LeastRequestConfig } from './least-request-config.js';
import { type InFlightCounter, LeastRequestPicker } from './least-request-picker.js';

interface Child {
  readonly leaf: experimental.LeafLoadBalancer;
  readonly counter: InFlightCounter;
  /** The state seen at the last update, to notice an endpoint turning READY. */
  lastState: ConnectivityState;
  /** Whether it has been READY before (then turning READY again starts a slow start). */
  wasReady: boolean;
  /** When it turned READY again, while its slow start may run. */
  returnedAt: number | undefined;
}

/**
 * The `least_request` LB policy: one pick-first leaf per endpoint, all kept connected (as in
 * `round_robin`), and calls sent by {@link LeastRequestPicker}. Unlike grpc-js's round_robin it
 * keeps the children of endpoints that survive an address update, so in-flight counts and
 * connections carry over when the resolver adds or removes a pod. An endpoint that turns READY
 * again after leaving (outlier detection ejected it, its connection dropped) is ramped up by slow
 * start; one the resolver adds for the first time gets its full share at once.
 */
export class LeastRequestBalancer implements experimental.LoadBalancer {
  private children = new experimental.EndpointMap<Child>();
  private config = new LeastRequestConfig();
  private updatesPaused = false;
  private reportedReady = false;
  private lastError: string | null = null;
  private readonly childHelper: experimental.ChannelControlHelper;

  constructor(private readonly helper: experimental.ChannelControlHelper) {
    this.childHelper = experimental.createChildChannelControlHelper(helper, {
      updateState: (_state, _picker, errorMessage) => {
        if (errorMessage) this.lastError = errorMessage;
        this.calculateAndUpdateState();
      },
    });
  }

  updateAddressList(
    endpoints: experimental.StatusOr<experimental.Endpoint[]>,
    config: experimental.TypedLoadBalancingConfig,
    options: ChannelOptions,
    resolutionNote: string,
  ): boolean {
    if (!(config instanceof LeastRequestConfig)) return false;
    this.config = config;
    if (!endpoints.ok) {
      if (this.children.size === 0) this.fail(endpoints.error.details);
      return true;
    }
    this.updatesPaused = true;
    const next = new experimental.EndpointMap<Child>();
    const added: Child[] = [];
    for (const endpoint of endpoints.value) {
      const existing = this.children.get(endpoint);
      if (existing) {
        existing.leaf.updateEndpoint(endpoint, options);
        next.set(endpoint, existing);
      } else {
        const child = {
          leaf: new experimental.LeafLoadBalancer(endpoint, this.childHelper, options, resolutionNote),
          counter: { inFlight: 0 },
          lastState: ConnectivityState.IDLE,
          wasReady: false,
          returnedAt: undefined,
        };
        next.set(endpoint, child);
        added.push(child);
      }
    }
    for (const removed of this.children.deleteMissing(endpoints.value)) removed.leaf.destroy();
    this.children = next;
    for (const child of added) child.leaf.startConnecting();
    this.updatesPaused = false;
    if (endpoints.value.length === 0) this.fail(`No addresses resolved. Resolution note: ${resolutionNote}`);
    else this.calculateAndUpdateState();
    return true;
  }

  exitIdle(): void {
    for (const child of this.children.values()) child.leaf.exitIdle();
  }

  resetBackoff(): void {}

  destroy(): void {
    for (const child of this.children.values()) child.leaf.destroy();
    this.children.clear();
  }

  getTypeName(): string {
    return LEAST_REQUEST_POLICY;
  }

  private calculateAndUpdateState(): void {
    if (this.updatesPaused) return;
    const all = [...this.children.values()];
    for (const child of all) this.noteState(child);
    const ready = all.filter((child) => child.lastState === ConnectivityState.READY);
    if (ready.length > 0) {
      const picker = new LeastRequestPicker(
        ready.map((child) => ({ picker: child.leaf.getPicker(), counter: child.counter, returnedAt: child.returnedAt })),
        this.config.choiceCount,
        Math.random,
        this.config.slowStart,
      );
      this.setState(ConnectivityState.READY, picker, null);
    } else if (all.some((child) => child.leaf.getConnectivityState() === ConnectivityState.CONNECTING)) {
      this.setState(ConnectivityState.CONNECTING, new experimental.QueuePicker(this), null);
    } else if (all.some((child) => child.leaf.getConnectivityState() === ConnectivityState.TRANSIENT_FAILURE)) {
      const message = `${LEAST_REQUEST_POLICY}: No connection established. Last error: ${this.lastError}`;
      this.setState(ConnectivityState.TRANSIENT_FAILURE, new experimental.UnavailablePicker({ details: message }), message);
    } else {
      this.setState(ConnectivityState.IDLE, new experimental.QueuePicker(this), null);
    }
    for (const child of all) {
      if (child.leaf.getConnectivityState() === ConnectivityState.IDLE) child.leaf.exitIdle();
    }
  }

  /** Records a child's state; an endpoint READY again after leaving starts its slow start now. */
  private noteState(child: Child): void {
    const state = child.leaf.getConnectivityState();
    if (state === ConnectivityState.READY && child.lastState !== ConnectivityState.READY) {
      const now = performance.now();
      child.returnedAt = child.wasReady && this.config.slowStart.windowMs > 0 ? now : undefined;
      child.wasReady = true;
    } else if (state !== ConnectivityState.READY) {
      child.returnedAt = undefined;
    } else if (child.returnedAt !== undefined && performance.now() - child.returnedAt >= this.config.slowStart.windowMs) {
      child.returnedAt = undefined;
    }
    child.lastState = state;
  }

  private fail(message: string): void {
    this.setState(ConnectivityState.TRANSIENT_FAILURE, new experimental.UnavailablePicker({ details: message }), message);
  }

  private setState(state: ConnectivityState, picker: experimental.Picker, errorMessage: string | null): void {
    if (this.reportedReady && state !== ConnectivityState.READY) this.helper.requestReresolution();
    this.reportedReady = state === ConnectivityState.READY;
    this.helper.updateState(state, picker, errorMessage);
  }
}
