/** A seeded pseudo-random generator (mulberry32), so that randomised tests draw the same cases on every run. */
export { rng as random } from '../../bench/generate.mjs';
