// Inventory commands are composed with sync's appendHqEvents by the HQ app; what HQ's event log needs
// from inventory (schemas, the stock projection, the transfer rule) is in hq/index.ts.

export * from './events.ts';
export {
  applyStock,
  formatStock,
  loadOnHand,
  mapLocations,
  parseLocationPairs,
  planStock,
  type StockPlan,
  stockLocations,
} from './import-stock.ts';
export * from './keys.ts';
