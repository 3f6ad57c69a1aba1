import { describe, expect, it, vi } from 'vitest';
import { runCustomersEval } from './eval.ts';
import { parseTime } from './lines-csv.ts';
import { onlineRetailRow } from './online-retail.ts';

describe('the transaction line contract', () => {
  it('reads dates, date-times with a space or T, seconds or not, and a zone', () => {
    const noon = Date.UTC(2011, 8, 9, 12, 30);
    expect(parseTime('2011-09-09', 2)).toBe(Date.UTC(2011, 8, 9));
    expect(parseTime('2011-09-09 12:30', 2)).toBe(noon);
    expect(parseTime('2011-09-09 12:30:00', 2)).toBe(noon);
    expect(parseTime('2011-09-09T12:30:00Z', 2)).toBe(noon);
    expect(parseTime('2011-09-09T14:30:00+02:00', 2)).toBe(noon);
    expect(parseTime('2011-09-09T12:30:00.500Z', 2)).toBe(noon + 500);
    expect(() => parseTime('09/09/2011', 7)).toThrow(/time: line 7: "09\/09\/2011"/);
    expect(() => parseTime('2011-09-09 25:00', 7)).toThrow(/line 7/);
  });

  it('turns an Online Retail row into a line: the float id loses its .0, the country is the store', () => {
    expect(
      onlineRetailRow({
        InvoiceNo: 'C536379',
        StockCode: 'D',
        Description: 'Discount, big',
        Quantity: '-1',
        InvoiceDate: '2010-12-01 09:41:00',
        UnitPrice: '27.5',
        CustomerID: '14527.0',
        Country: 'United Kingdom',
      }),
    ).toEqual(['C536379', '2010-12-01 09:41:00', '14527', 'D', '-1', '27.5', 'United Kingdom']);
    expect(onlineRetailRow({ InvoiceNo: '1', CustomerID: '' })[2]).toBe('');
  });

  it('evaluation says so and stops when the data is absent', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await runCustomersEval({ data: '/nonexistent/shared/data' })).toEqual([]);
    expect(log.mock.calls[0]?.[0]).toMatch(/online_retail\.csv\.gz is absent .* nothing to evaluate/);
    log.mockRestore();
  });
});
