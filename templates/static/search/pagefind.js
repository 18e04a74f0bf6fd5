// Pagefind's search API as the search page's interface loads it (its bundlePath points
// here): Pagefind's own, from the site's index, with each search handed to the page's
// script (script.js), which cuts the query as the index did and orders the results.
import * as pagefind from "../../pagefind/pagefind.js";

export * from "../../pagefind/pagefind.js";

let hook = null;

// fn(term, search) returns a promise of term's results; search(words) is Pagefind's.
export function searchWith(fn) {
  hook = fn;
}

export async function search(term, options) {
  const run = (words) => pagefind.search(words, options);
  return hook ? hook(term, run) : run(term);
}
