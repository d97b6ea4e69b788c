/**
 * Fix helpers shared by the Pod Security rules, over the fix layer (../fixes): find the container a
 * violation path points into, and make a preferred unsafe fix of edits.
 */

/** The container a violation path (relative to the pod object) points into, if any: an indexed lookup. */
export { containerAtPath as containerAt, unsafeFix } from '../fixes/fields';
