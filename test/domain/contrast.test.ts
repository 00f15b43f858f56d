import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_ACCENT_COLOUR,
  DEFAULT_MAIN_COLOUR,
  checkLookContrast,
  contrastRatio,
  relativeLuminance,
  shownRatio,
} from '../../src/domain/index.js';

test('relative luminance follows WCAG 2.1: black 0, white 1, the sRGB curve between', () => {
  assert.equal(relativeLuminance('#000000'), 0);
  assert.equal(relativeLuminance('#ffffff'), 1);
  assert.equal(relativeLuminance('#FFFFFF'), 1);
  // Pure green weighs 0.7152, pure blue 0.0722 (the coefficients of the definition).
  assert.equal(relativeLuminance('#00ff00'), 0.7152);
  assert.equal(relativeLuminance('#0000ff'), 0.0722);
  // Below the knee (10/255 ≤ 0.03928) the channel is linear: 10/255/12.92 for each channel.
  assert.ok(Math.abs(relativeLuminance('#0a0a0a') - 10 / 255 / 12.92) < 1e-12);
  assert.ok(Number.isNaN(relativeLuminance('red')));
  assert.ok(Number.isNaN(relativeLuminance('#fff')));
});

test('contrast ratios of known pairs, in either order', () => {
  assert.equal(contrastRatio('#000000', '#ffffff'), 21);
  assert.equal(contrastRatio('#ffffff', '#000000'), 21);
  assert.equal(contrastRatio('#777777', '#777777'), 1);
  assert.equal(shownRatio(contrastRatio('#777777', '#ffffff')), 4.47);
  assert.ok(Math.abs(contrastRatio('#777777', '#ffffff') - 4.478) < 0.001);
  // #767676 is the lightest grey that passes AA on white.
  assert.equal(shownRatio(contrastRatio('#767676', '#ffffff')), 4.54);
  assert.equal(shownRatio(contrastRatio('#f5c400', '#ffffff')), 1.64);
});

test('ratios are rounded down, so a colour just below 4.5 never shows as passing', () => {
  assert.equal(shownRatio(4.4999), 4.49);
  assert.equal(shownRatio(4.5), 4.5);
  assert.equal(shownRatio(21), 21);
  assert.equal(shownRatio(1.649), 1.64);
});

test('checkLookContrast names each colour white text cannot be read on, main colour first', () => {
  assert.deepEqual(checkLookContrast({ mainColour: DEFAULT_MAIN_COLOUR, accentColour: DEFAULT_ACCENT_COLOUR }), []);
  assert.deepEqual(checkLookContrast({ mainColour: '#f5c400', accentColour: '#8a0e15' }), [
    { field: 'mainColour', colour: '#f5c400', ratio: 1.64 },
  ]);
  assert.deepEqual(checkLookContrast({ mainColour: '#777777', accentColour: '#ffffff' }), [
    { field: 'mainColour', colour: '#777777', ratio: 4.47 },
    { field: 'accentColour', colour: '#ffffff', ratio: 1 },
  ]);
  assert.deepEqual(checkLookContrast({ mainColour: '#767676', accentColour: '#000000' }), []);
});
