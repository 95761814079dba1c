import { experimental } from '@grpc/grpc-js';

/** Calls in flight on one endpoint, shared by every picker the balancer builds. */
export interface InFlightCounter {
  inFlight: number;
}

/** A READY child: its own picker and its in-flight count. */
export interface WeightedChild {
  readonly picker: experimental.Picker;
  readonly counter: InFlightCounter;
}

/**
 * Power of `choiceCount` choices: samples that many distinct READY endpoints at random and
 * sends the call to the one with the fewest calls in flight, counted through the pick result's
 * `onCallStarted` / `onCallEnded` hooks. A slow replica accumulates in-flight calls and is
 * picked less; with equal load the choice is uniform.
 */
export class LeastRequestPicker implements experimental.Picker {
  constructor(
    private readonly children: readonly WeightedChild[],
    private readonly choiceCount: number,
    private readonly random: () => number = Math.random,
  ) {}

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

  private lessLoaded(best: WeightedChild, index: number): WeightedChild {
    const candidate = this.children[index] as WeightedChild;
    return candidate.counter.inFlight < best.counter.inFlight ? candidate : best;
  }
}
