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
 * Power of `choiceCount` choices: samples that many READY endpoints at random and sends the
 * call to the one with the fewest calls in flight, counted through the pick result's
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

  /** The least loaded of `choiceCount` random samples (with replacement, as in gRPC A48). */
  choose(): WeightedChild {
    const n = this.children.length;
    let best = this.children[Math.floor(this.random() * n)] as WeightedChild;
    for (let i = 1; i < this.choiceCount && n > 1; i++) {
      const candidate = this.children[Math.floor(this.random() * n)] as WeightedChild;
      if (candidate.counter.inFlight < best.counter.inFlight) best = candidate;
    }
    return best;
  }
}
