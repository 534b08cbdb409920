// i18n/index.js: the page's languages and the lookup of its text. The first
// language the browser prefers that the page has is chosen, else English;
// the person can change it on every screen. The dictionaries are modules of
// the page itself: nothing is fetched from elsewhere.
import en from './en.js';
import es from './es.js';
import fr from './fr.js';

export const dictionaries = { en, fr, es };

// pickLanguage returns the first of `preferred` (BCP 47 tags) the page has.
export function pickLanguage(preferred) {
  for (const tag of preferred ?? []) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (Object.hasOwn(dictionaries, base)) return base;
  }
  return 'en';
}

// translator returns t(key, values) for `language`: the text at the dotted
// key with {name} replaced; the key itself if it is missing (tests forbid
// that), so that a gap shows instead of an empty label.
export function translator(language) {
  const dictionary = dictionaries[language] ?? en;
  return (key, values = {}) => {
    let node = dictionary;
    for (const part of key.split('.')) node = node?.[part];
    if (typeof node !== 'string') return Array.isArray(node) ? node : key;
    return node.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
  };
}
