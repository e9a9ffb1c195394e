import { setFlagsFromString } from 'node:v8'

/**
 * Turns off V8's allocation-site pretenuring for the server process (imported first by main.ts).
 *
 * V8 watches how many objects from each allocation site survive young-generation collections and,
 * past a threshold, allocates that site's objects straight into the old generation from then on. A
 * cold stampede (hundreds of requests waiting on one database load) keeps every request's objects
 * alive across collections, so V8 tenured request-time allocation sites for good: afterwards each
 * scavenge promoted 2.7 MB instead of 3 kB, full collections ran continuously, and a warm cache hit
 * served a third fewer requests per second (docs/decisions/005-no-pretenuring.md). A server's
 * request objects are short-lived by nature; nothing it keeps for long is allocated on a hot path.
 * The flag is read at collection time, so setting it before the first request is enough; it is not
 * allowed in NODE_OPTIONS, hence here.
 */
setFlagsFromString('--no-allocation-site-pretenuring')
