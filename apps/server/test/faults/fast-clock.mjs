// Preloaded with `node --import` into a server process: moves its JavaScript clock (Date only; timers run at their
// normal pace) CLOCK_OFFSET_MS ahead, as on a machine whose clock is wrong. The database clock is untouched.
import FakeTimers from '@sinonjs/fake-timers';

FakeTimers.install({
  now: Date.now() + Number(process.env.CLOCK_OFFSET_MS ?? 0),
  shouldAdvanceTime: true,
  toFake: ['Date'],
});
