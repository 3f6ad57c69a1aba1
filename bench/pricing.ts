import { fileURLToPath } from 'node:url';
import { benchPricing } from './pricing-helpers.ts';
import { printTable } from './stats.ts';

/** `npx tsx bench/pricing.ts`: carts priced per second, up to 50-line carts against 1,000 promotions. */
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(
    `Cart pricing — node ${process.version}, ${new Date().toISOString()} (one core; other work on the machine adds noise)`,
  );
  printTable('Cart pricing with promotions', benchPricing());
}
