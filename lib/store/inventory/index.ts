export { inventory } from './inventory.js';
export type { InventoryOptions, InventoryResult } from './inventory.js';
export { inventoryInput, FITS_NAME } from './inventory-input.js';
export type { InventoryInput } from './inventory-input.js';
export { INVENTORY_COLUMNS } from './inventory-table.js';
export { INVENTORY_KEYWORDS } from './desi-keywords.js';
