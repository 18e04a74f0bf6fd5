// Pagefind's search API as the search page's interface loads it (its bundlePath points
// here): Pagefind's own, from the site's index, with the results of each search handed
// to the order the page sets (script.js) before the interface shows them.
import * as pagefind from "../../pagefind/pagefind.js";

export * from "../../pagefind/pagefind.js";

let order = null;

// fn(found, term) returns found, or a promise of it, with its results reordered.
export function orderResults(fn) {
  order = fn;
}

export async function search(term, options) {
  const found = await pagefind.search(term, options);
  return found && order ? order(found, term) : found;
}
