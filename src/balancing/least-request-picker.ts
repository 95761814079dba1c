import { performance } from 'node:perf_hooks';
import { experimental } from '@grpc/grpc-js';
import type { SlowStart } from './least-request-config.js';

/** Calls in flight on one endpoint, shared by every picker the balancer builds. */
export interface InFlightCounter {
  inFlight: number;
}

/** A READY child: its own picker, its in-flight count and, when it came back, since when (ms). */
export interface WeightedChild {
  readonly picker: experimental.Picker;
  readonly counter: InFlightCounter;
  /** `performance.now()` when the endpoint turned READY again after leaving; absent for one at full weight. */
  readonly returnedAt?: number;
}

/**
 * Power of `choiceCount` choices: samples that many distinct READY endpoints at random and
 * sends the call to the one with the fewest calls in flight, counted through the pick result's
 * `onCallStarted` / `onCallEnded` hooks. A slow replica accumulates in-flight calls and is
 * picked less; with equal load the choice is uniform. An endpoint in slow start (it came back
 * `returnedAt`) has a weight that ramps from `slowStart.minWeight` to 1 over `slowStart.windowMs`,
 * and the call goes to the lowest `(inFlight + 1) / weight`: at weight 0.1 an idle returning
 * endpoint loses to a full one with up to 9 calls in flight.
 */
export class LeastRequestPicker implements experimental.Picker {
  /** When the last ramp ends (0: no endpoint in slow start, every weight is 1). */
  private rampEnd = 0;

  constructor(
    private readonly children: readonly WeightedChild[],
    private readonly choiceCount: number,
    private readonly random: () => number = Math.random,
    private readonly slowStart: SlowStart = { windowMs: 0, minWeight: 1 },
    private readonly now: () => number = () => performance.now(),
  ) {
    if (slowStart.windowMs > 0) {
      for (const child of children) {
        if (child.returnedAt !== undefined) this.rampEnd = Math.max(this.rampEnd, child.returnedAt + slowStart.windowMs);
      }
    }
  }

  pick(args: experimental.PickArgs): experimental.PickResult {
    const best = this.choose();
    const result = best.picker.pick(args);
    if (result.pickResultType !== experimental.PickResultType.COMPLETE || result.subchannel === null) return result;
    const { counter } = best;
    const { onCallStarted, onCallEnded } = result;
    return {
      ...result,
      onCallStarted: () => {
        counter.inFlight++;
        onCallStarted?.();
      },
      onCallEnded: (code, details, metadata) => {
        counter.inFlight--;
        onCallEnded?.(code, details, metadata);
      },
    };
  }

  /**
   * The least loaded of `choiceCount` distinct random samples (all of them when there are no
   * more); ties go to the first sampled, so equal load spreads uniformly. Sampling without
   * replacement matters with few endpoints: with replacement (gRPC A48) a slow one of three
   * still gets the 1 in 9 calls where it is drawn twice.
   */
  choose(): WeightedChild {
    if (this.rampEnd !== 0) {
      const now = this.now();
      if (now < this.rampEnd) return this.chooseWeighted(now);
      this.rampEnd = 0;
    }
    const n = this.children.length;
    const first = Math.floor(this.random() * n);
    let best = this.children[first] as WeightedChild;
    if (this.choiceCount >= n) {
      for (let i = 1; i < n; i++) best = this.lessLoaded(best, (first + i) % n);
      return best;
    }
    const drawn = [first];
    while (drawn.length < this.choiceCount) {
      const index = Math.floor(this.random() * n);
      if (drawn.includes(index)) continue;
      drawn.push(index);
      best = this.lessLoaded(best, index);
    }
    return best;
  }

  /** {@link choose} with slow-start weights: the lowest `(inFlight + 1) / weight` of the samples wins. */
  private chooseWeighted(now: number): WeightedChild {
    const n = this.children.length;
    const count = Math.min(this.choiceCount, n);
    const first = Math.floor(this.random() * n);
    const drawn = [first];
    while (drawn.length < count) {
      const index = count === n ? (first + drawn.length) % n : Math.floor(this.random() * n);
      if (!drawn.includes(index)) drawn.push(index);
    }
    let best = this.children[first] as WeightedChild;
    let bestScore = (best.counter.inFlight + 1) / this.weight(best, now);
    for (let i = 1; i < drawn.length; i++) {
      const candidate = this.children[drawn[i] as number] as WeightedChild;
      const score = (candidate.counter.inFlight + 1) / this.weight(candidate, now);
      if (score < bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    return best;
  }

  /** A linear ramp from `minWeight` at `returnedAt` to 1 at `returnedAt + windowMs`. */
  private weight(child: WeightedChild, now: number): number {
    if (child.returnedAt === undefined) return 1;
    const progress = (now - child.returnedAt) / this.slowStart.windowMs;
    if (progress >= 1) return 1;
    return Math.max(this.slowStart.minWeight, progress);
  }

  private lessLoaded(best: WeightedChild, index: number): WeightedChild {
    const candidate = this.children[index] as WeightedChild;
    return candidate.counter.inFlight < best.counter.inFlight ? candidate : best;
  }
}
