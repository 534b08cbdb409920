// sodium.js: libsodium (WebAssembly, the "sumo" build), vendored into the
// page by build.mjs and served from the page's own origin. Every other module
// gets its primitives from here, once ready() has resolved.
import sodium from '../vendor/libsodium-wrappers.mjs';

// ready resolves to the initialised library.
export async function ready() {
  await sodium.ready;
  return sodium;
}

export default sodium;
