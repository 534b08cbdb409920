// i18n.test.mjs: every language has every text the page can show: the same
// keys in each dictionary, a label for every answer of the form and for
// every value of every enum it offers, and the same {placeholders}.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contactFields, cooperationBodies, enums, steps } from '../../src/form.js';
import { dictionaries, pickLanguage, translator } from '../../src/i18n/index.js';

function keys(node, prefix = '') {
  if (typeof node === 'string') return [prefix];
  if (Array.isArray(node)) return [`${prefix}[${node.length}]`];
  return Object.entries(node).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function placeholders(node, prefix = '') {
  if (typeof node === 'string') return [`${prefix}:${(node.match(/\{\w+\}/g) ?? []).sort().join(',')}`];
  if (Array.isArray(node)) return [];
  return Object.entries(node).flatMap(([k, v]) => placeholders(v, prefix ? `${prefix}.${k}` : k));
}

test('every dictionary has exactly the keys and placeholders of English', () => {
  const english = keys(dictionaries.en).sort();
  for (const [language, dictionary] of Object.entries(dictionaries)) {
    assert.deepEqual(keys(dictionary).sort(), english, language);
    assert.deepEqual(placeholders(dictionary).sort(), placeholders(dictionaries.en).sort(), language);
  }
});

test('English, French and Spanish are offered, and the browser\'s preference picks one', () => {
  assert.deepEqual(Object.keys(dictionaries).sort(), ['en', 'es', 'fr']);
  assert.equal(pickLanguage(['es-CO', 'en']), 'es');
  assert.equal(pickLanguage(['de', 'fr-CA']), 'fr');
  assert.equal(pickLanguage(['de']), 'en');
  assert.equal(pickLanguage(undefined), 'en');
});

function labelKeys() {
  const out = [];
  const add = (base, fields) => {
    for (const field of fields) {
      out.push(`${base}.${field.key}`);
      if (field.explain) out.push(`${base}.${field.key}_explain`);
    }
  };
  for (const step of steps) {
    if (step.id !== 'start') out.push(`steps.${step.id}.title`, `steps.${step.id}.intro`);
    const scope = step.scope ?? [];
    const base = scope.length ? `fields.${scope.join('.')}` : 'fields';
    add(base, step.fields ?? []);
    for (const group of step.groups ?? []) {
      out.push(`${base}.${group.key}.legend`);
      add(`${base}.${group.key}`, group.fields);
    }
    add('fields', step.after ?? []);
  }
  add('fields.consent', contactFields);
  for (const [name, values] of Object.entries(enums)) {
    for (const value of values) out.push(`enums.${name}.${value}`);
  }
  for (const code of cooperationBodies) out.push(`bodies.${code}`);
  return out;
}

test('every label the form asks for exists in every language', () => {
  const wanted = labelKeys();
  assert.ok(wanted.length > 150);
  for (const language of Object.keys(dictionaries)) {
    const t = translator(language);
    for (const key of wanted) {
      const text = t(key);
      assert.ok(typeof text === 'string' && text !== key && text.length > 0, `${language}: ${key}`);
    }
  }
});

test('placeholders are filled in', () => {
  const t = translator('fr');
  assert.equal(t('app.step', { n: 3, total: 10 }), 'Étape 3 sur 10');
});
