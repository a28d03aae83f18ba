export { parseOutText, readOutFile, cloudyWavelength } from './out-file.js';
export type { CloudyOutput, CloudyStop } from './out-file.js';
export { parseSaveText, readSaveFile, saveKindOf, SAVE_KINDS } from './save-file.js';
export type { SaveKind, SaveOptions, SaveTable } from './save-file.js';
export { CGS, ionizingPhotonRate, outflowEnergetics } from './outflow-energetics.js';
export type { Derived, Measured, OutflowEnergetics, OutflowInput } from './outflow-energetics.js';
export { CLOUDY_DECK, deckGridAxes, deckNumber, parseDeckSpec, parseDeckText, renderDeck } from './deck.js';
export type { CloudyDeck, CloudyDeckInput } from './deck.js';
