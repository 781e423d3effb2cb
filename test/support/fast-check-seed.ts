import fc from 'fast-check'

// Every property starts from one seed, so a run of the suite is the same run each time: CI
// failed once on a counterexample that a random seed found and the next run would not. To
// look further, run with another seed (FC_SEED=123 npm test); a failure prints its seed.
const seed = Number(process.env.FC_SEED ?? 20261202)
fc.configureGlobal({ seed: Number.isInteger(seed) ? seed : 20261202 })
