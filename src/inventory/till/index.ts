export {
  tillCountInput,
  tillDeliveryInput,
  tillInventory,
  tillReceiveInput,
  tillShipInput,
} from './till-events.ts';
