// dom.js: building the page's elements. Text always goes in as text nodes,
// never as markup: labels from the key bundle and everything a person types
// are untrusted, and innerHTML is used nowhere.

// h creates an element with attributes (booleans set or omit an attribute;
// "on*" functions become listeners) and children (strings become text).
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

// clear removes every child of an element.
export function clear(element) {
  while (element.firstChild) element.firstChild.remove();
}

// fieldId is the element id of the answer at `path` (an array of keys and
// indexes), optionally of one of its options.
export function fieldId(path, option) {
  return ['f', ...path, ...(option === undefined ? [] : [option])].join('-');
}
