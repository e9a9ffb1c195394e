/**
 * The one switch between the quick fault, load and fuzz tests that `npm test` runs and their longer,
 * heavier variants that CI runs as a step of its own (`ECAR_LONG_TESTS=1`, see .ci/run). Every figure
 * that differs between the two lives here, so the quick run stays exactly as quick as it was and the
 * long one is tuned in one place: all long variants together take about 4-5 minutes on two cores.
 */
export const longTests = process.env.ECAR_LONG_TESTS === '1'

const pick = <T>(quick: T, long: T): T => (longTests ? long : quick)

/** How many times each fault is played in one test: several kill/restart (or cut/restore) cycles when long. */
export const faultCycles = pick(1, 3)

/** Multiplies the load (ms) that runs around each fault phase: before it, and after recovery. */
const loadScale = pick(1, 4)

/** A quick phase's load duration (ms) scaled to the variant. */
export function loadMs(quickMs: number): number {
  return quickMs * loadScale
}

/** Concurrent users of a load, scaled from the quick count (twice as many when long). Tests derive their timeouts from these figures. */
export function loadUsers(quick: number): number {
  return longTests ? quick * 2 : quick
}

/**
 * fast-check runs per fuzzed operation: FUZZ_RUNS when set (to replay or dig deeper), else 40, or 200
 * when long. The long figure was 400 for the ~45 operations before the workshop; with ~85 it took over
 * the long step's 420 s on its own, so it was halved: about the same 17,000 fuzzed requests in all.
 */
export const fuzzRuns = Number(process.env.FUZZ_RUNS ?? pick(40, 200))

/** Customers of the cross-user cache test, and how many times its rounds are repeated (a rename between). */
export const crossUserFigures = pick({ users: 300, repetitions: 1 }, { users: 600, repetitions: 3 })
