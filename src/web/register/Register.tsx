import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Cart, Customer, SaleResult, Shift, ShiftClosedResult } from '../../contracts/index.ts';
import { ApiError, api, apiMaybe, setApprovalGate } from './api.ts';
import { CartView } from './CartView.tsx';
import { CustomerPanel } from './CustomerPanel.tsx';
import { afterSale } from './customer-points.ts';
import { DiscountPanel } from './DiscountPanel.tsx';
import { GiftCardPanel } from './GiftCardPanel.tsx';
import { PinPad, type PinRequest } from './PinPad.tsx';
import { PricePanel } from './PricePanel.tsx';
import { QtyPanel } from './QtyPanel.tsx';
import { ReceiptPanel } from './ReceiptPanel.tsx';
import { ReturnPanel } from './ReturnPanel.tsx';
import { SalePanel } from './SalePanel.tsx';
import { CloseShiftPanel, XReportPanel } from './ShiftPanels.tsx';
import { DrawerPanel, ParkPanel, VoidSalePanel, WeighPanel } from './SmallPanels.tsx';
import { type Action, actionFor, keyLabel, SHORTCUTS } from './shortcuts.ts';
import { type Method, TenderPanel } from './TenderPanel.tsx';
import { isEditable, Kbd, setFieldValue } from './ui.tsx';
import { WedgeDetector } from './wedge.ts';

type Mode =
  | { kind: 'sale' }
  | { kind: 'qty' }
  | { kind: 'discount' }
  | { kind: 'pay' }
  | { kind: 'receipt'; sale: SaleResult; paidCart: Cart | undefined; paidCustomer?: Customer | undefined }
  | { kind: 'return' }
  | { kind: 'xReport' }
  | { kind: 'closeShift' }
  | { kind: 'park' }
  | { kind: 'voidSale' }
  | { kind: 'drawer' }
  | { kind: 'customer' }
  | { kind: 'price' }
  | { kind: 'weigh'; code: string; name: string }
  | { kind: 'giftCard' };

const CART_KEY = 'tally.register.cartId';

/**
 * Tasks that do not work on the open cart (a return has its own lines, a report its own table): they
 * get the whole working area instead of a third of it beside an idle cart.
 */
const WIDE: ReadonlySet<Mode['kind']> = new Set([
  'return',
  'xReport',
  'closeShift',
  'giftCard',
  'customer',
  'drawer',
]);

/**
 * The register while a shift is open: the cart on the left, the current task on the right, the
 * shortcuts along the bottom. Holds the open cart (its id survives a reload), routes scanner input
 * and shortcuts wherever the focus is, and puts up the PIN pad when the till asks for a manager.
 */
export function Register({
  shift,
  currency,
  routes,
  onShiftClosed,
  paused = false,
}: {
  shift: Shift;
  currency: string;
  routes: Set<string>;
  onShiftClosed(z: ShiftClosedResult): void;
  /** Locked: the sign-in view is over the register, which keeps its cart and task but takes no keys. */
  paused?: boolean;
}) {
  const qc = useQueryClient();
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const [mode, setMode] = useState<Mode>({ kind: 'sale' });
  const [cartId, setCartIdState] = useState<string | undefined>(
    () => localStorage.getItem(CART_KEY) ?? undefined,
  );
  const cartRef = useRef(cartId);
  const setCartId = useCallback((id: string | undefined) => {
    cartRef.current = id;
    if (id) localStorage.setItem(CART_KEY, id);
    else localStorage.removeItem(CART_KEY);
    setCartIdState(id);
  }, []);
  const cartQuery = useQuery({
    queryKey: ['cart', cartId],
    queryFn: () => apiMaybe<Cart>(`/api/v1/carts/${cartId}`),
    enabled: !!cartId,
  });
  // A cart completed or voided elsewhere (or a new ledger) is gone: start afresh.
  useEffect(() => {
    if (cartId && cartQuery.isSuccess && cartQuery.data === null) setCartId(undefined);
  }, [cartId, cartQuery.isSuccess, cartQuery.data, setCartId]);
  const cart = (cartId && cartQuery.data) || undefined;
  const hasLines = (cart?.lines.length ?? 0) > 0;

  const [selected, setSelected] = useState<number>();
  const [scanError, setScanError] = useState<ApiError>();
  const [notice, setNotice] = useState<string>();
  const [lastAdded, setLastAdded] = useState<{ name: string; unitPriceMinor: number; qty: number }>();
  const [focusToken, setFocusToken] = useState(0);
  const [pin, setPin] = useState<PinRequest>();
  const [customer, setCustomer] = useState<Customer>();

  const showCart = useCallback(
    (c: Cart) => {
      qc.setQueryData(['cart', c.cartId], c);
      if (cartRef.current !== c.cartId) setCartId(c.cartId);
    },
    [qc, setCartId],
  );

  // Scans are queued so a burst of them lands in order and creates one cart, not several.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const enqueue = useCallback(<T,>(job: () => Promise<T>): Promise<T> => {
    const run = queue.current.then(job);
    queue.current = run.catch(() => undefined);
    return run;
  }, []);

  const ensureCart = useCallback(async (): Promise<string> => {
    if (!cartRef.current) showCart(await api<Cart>('POST', '/api/v1/carts', {}));
    return cartRef.current!;
  }, [showCart]);

  const addCode = useCallback(
    (code: string, weightGrams?: number) =>
      enqueue(async () => {
        setScanError(undefined);
        setNotice(undefined);
        for (let attempt = 0; attempt < 2; attempt++) {
          try {
            const id = await ensureCart();
            const before = qc.getQueryData<Cart>(['cart', id]);
            const after = await api<Cart>('POST', `/api/v1/carts/${id}/lines`, {
              code,
              qty: 1,
              ...(weightGrams === undefined ? {} : { weightGrams }),
            });
            if (weightGrams !== undefined) setMode({ kind: 'sale' });
            showCart(after);
            const changed =
              after.lines.find((l) => !before?.lines.some((b) => b.lineNo === l.lineNo && b.qty === l.qty)) ??
              after.lines[after.lines.length - 1];
            if (changed) {
              setSelected(changed.lineNo);
              setLastAdded({ name: changed.name, unitPriceMinor: changed.unitPriceMinor, qty: changed.qty });
            }
            return;
          } catch (err) {
            const e = err as ApiError;
            // The cart went away under us (completed in another tab, a new ledger): one fresh try.
            if (attempt === 0 && e.status === 404 && e.field === 'cartId') {
              setCartId(undefined);
              continue;
            }
            // Sold by weight: ask for the scale's reading, then add it.
            if (e.field === 'weightGrams' && weightGrams === undefined) {
              const name = e.message.replace(/^weightGrams: /, '').split(' is sold by weight')[0] ?? code;
              setMode({ kind: 'weigh', code, name });
              return;
            }
            setScanError(
              e.field === 'code' || !e.field || e.field === 'weightGrams'
                ? e
                : new ApiError(e.status, e.code, e.message, 'code'),
            );
            return;
          }
        }
      }),
    [enqueue, qc, showCart, setCartId, ensureCart],
  );

  const changeQty = (lineNo: number, qty: number) =>
    enqueue(async () => {
      try {
        showCart(await api<Cart>('PATCH', `/api/v1/carts/${cartRef.current}/lines/${lineNo}`, { qty }));
        setSelected(lineNo);
        setScanError(undefined);
      } catch (err) {
        setScanError(err as ApiError);
      }
    });

  const voidLine = (lineNo: number) =>
    enqueue(async () => {
      try {
        const name = cart?.lines.find((l) => l.lineNo === lineNo)?.name;
        const after = await api<Cart>('DELETE', `/api/v1/carts/${cartRef.current}/lines/${lineNo}`);
        showCart(after);
        setSelected(after.lines[after.lines.length - 1]?.lineNo);
        setNotice(name ? `Voided ${name}` : undefined);
        setScanError(undefined);
      } catch (err) {
        setScanError(err as ApiError);
      }
    });

  const clearCart = useCallback(() => {
    setCartId(undefined);
    setCustomer(undefined);
    setSelected(undefined);
    setLastAdded(undefined);
  }, [setCartId]);

  const scanTarget = useRef<((code: string) => void) | undefined>(undefined);
  const setScanTarget = useCallback((fn: ((code: string) => void) | undefined) => {
    scanTarget.current = fn;
  }, []);

  const modeRef = useRef(mode);
  modeRef.current = mode;
  const onScan = useCallback(
    (code: string) => {
      if (scanTarget.current) return scanTarget.current(code);
      const m = modeRef.current.kind;
      if (m === 'xReport' || m === 'closeShift') {
        setNotice('Finish the report first (Esc), then scan');
        return;
      }
      if (m !== 'sale') setMode({ kind: 'sale' });
      void addCode(code);
    },
    [addCode],
  );

  // Gift cards and store credit are tenders once the till can tell their balance.
  const storedValue = routes.has('POST /api/v1/gift-cards/balance');
  const methods: Method[] = storedValue ? ['cash', 'card', 'gift_card', 'store_credit'] : ['cash', 'card'];
  const discountRoute = routes.has('POST /api/v1/carts/{cartId}/discounts');

  const act = (a: Action) => {
    setNotice(undefined);
    const need = (ok: boolean, why: string) => {
      if (!ok) setNotice(why);
      return ok;
    };
    switch (a) {
      case 'search':
        setMode({ kind: 'sale' });
        setFocusToken((t) => t + 1);
        return;
      case 'qty':
        if (need(selected !== undefined && hasLines, 'Pick a line first (↑/↓ or tap it)'))
          setMode({ kind: 'qty' });
        return;
      case 'voidLine':
        if (need(selected !== undefined && hasLines, 'Pick a line first (↑/↓ or tap it)'))
          void voidLine(selected!);
        return;
      case 'discount':
        if (
          need(hasLines, 'Scan an item first') &&
          need(discountRoute, 'Discounts are not available on this till yet')
        )
          setMode({ kind: 'discount' });
        return;
      case 'pay':
        if (need(hasLines, 'Scan an item first')) setMode({ kind: 'pay' });
        return;
      case 'price':
        if (need(selected !== undefined && hasLines, 'Pick a line first (↑/↓ or tap it)'))
          setMode({ kind: 'price' });
        return;
      case 'voidSale':
        if (need(!!cart, 'There is no open sale to void')) setMode({ kind: 'voidSale' });
        return;
      case 'newSale':
        setMode({ kind: 'sale' });
        setFocusToken((t) => t + 1);
        return;
      case 'customer':
        if (
          need(
            routes.has('PUT /api/v1/carts/{cartId}/customer'),
            'Customers are not available on this till yet',
          )
        )
          setMode({ kind: 'customer' });
        return;
      case 'giftCard':
        if (need(storedValue, 'Gift cards are not available on this till yet')) setMode({ kind: 'giftCard' });
        return;
      default:
        setMode({ kind: a });
    }
  };
  const actRef = useRef(act);
  actRef.current = act;

  // Scanner bursts and shortcuts, wherever the focus is (capture phase: before any field sees them).
  const pinOpen = useRef(false);
  pinOpen.current = !!pin;
  useEffect(() => {
    const wedge = new WedgeDetector<{ el: HTMLInputElement | HTMLTextAreaElement; value: string }>();
    const onKey = (e: KeyboardEvent) => {
      if (pinOpen.current || pausedRef.current) return; // the PIN pad or the sign-in view owns the keyboard
      const target = e.target;
      const editable = isEditable(target);
      // The scan field takes codes itself (Enter adds what it holds), at any typing speed.
      const own = editable && target.dataset.wedge === 'off';
      const answer = own
        ? ({ kind: 'pass' } as const)
        : wedge.feed({
            key: e.key,
            time: e.timeStamp,
            editable,
            context: editable ? { el: target, value: target.value } : undefined,
            modified: e.ctrlKey || e.altKey || e.metaKey,
          });
      if (answer.kind === 'swallow') {
        e.preventDefault();
        return;
      }
      if (answer.kind === 'scan') {
        e.preventDefault();
        e.stopPropagation();
        if (answer.fromField && answer.context) setFieldValue(answer.context.el, answer.context.value);
        onScan(answer.code);
        return;
      }
      const action = actionFor(e);
      if (action) {
        e.preventDefault();
        e.stopPropagation();
        actRef.current(action);
        return;
      }
      if (e.key === 'Escape' && modeRef.current.kind !== 'sale') {
        e.preventDefault();
        setMode({ kind: 'sale' });
        setFocusToken((t) => t + 1);
        return;
      }
      const onScanField =
        target instanceof HTMLElement && target.id === 'scan' && !(target as HTMLInputElement).value;
      if (
        (e.key === 'ArrowUp' || e.key === 'ArrowDown') &&
        modeRef.current.kind === 'sale' &&
        (!editable || onScanField)
      ) {
        const lines = qc.getQueryData<Cart>(['cart', cartRef.current])?.lines ?? [];
        if (lines.length === 0) return;
        e.preventDefault();
        setSelected((cur) => {
          const i = lines.findIndex((l) => l.lineNo === cur);
          const next = e.key === 'ArrowUp' ? (i <= 0 ? 0 : i - 1) : Math.min(lines.length - 1, i + 1);
          return lines[next]?.lineNo;
        });
      }
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, [onScan, qc]);

  // The API's manager-approval answers open the PIN pad; the request waits for its answer.
  useEffect(() => {
    setApprovalGate((req) => new Promise((resolve) => setPin({ ...req, resolve })));
    return () => setApprovalGate(undefined);
  }, []);

  const back = () => {
    setMode({ kind: 'sale' });
    setFocusToken((t) => t + 1);
  };
  const selectedLine = cart?.lines.find((l) => l.lineNo === selected);
  const shownCart = mode.kind === 'receipt' && !cart ? mode.paidCart : cart;

  let panel: React.ReactNode;
  switch (mode.kind) {
    case 'qty':
      panel =
        cart && selectedLine ? (
          <QtyPanel cart={cart} line={selectedLine} onCart={showCart} onClose={back} />
        ) : null;
      break;
    case 'price':
      panel =
        cart && selectedLine ? (
          <PricePanel cart={cart} line={selectedLine} currency={currency} onCart={showCart} onClose={back} />
        ) : null;
      break;
    case 'discount':
      panel = cart ? (
        <DiscountPanel cart={cart} line={selectedLine} currency={currency} onCart={showCart} onClose={back} />
      ) : null;
      break;
    case 'pay':
      panel = cart ? (
        <TenderPanel
          cart={cart}
          currency={currency}
          methods={methods}
          setScanTarget={setScanTarget}
          onClose={back}
          onCart={showCart}
          onPaid={(sale) => {
            const paidCart = cart;
            clearCart();
            setMode({ kind: 'receipt', sale, paidCart, paidCustomer: customer });
            void qc.invalidateQueries({ queryKey: ['sync'] });
            // The customer's balance moved: the sale's answer says where to, before HQ has the sale.
            if (sale.customerId && sale.loyalty) afterSale(qc, sale.customerId, sale.loyalty);
          }}
        />
      ) : null;
      break;
    case 'receipt':
      panel = <ReceiptPanel sale={mode.sale} onNewSale={back} />;
      break;
    case 'return':
      panel = (
        <ReturnPanel
          currency={currency}
          onClose={back}
          setScanTarget={setScanTarget}
          noReceipt={routes.has('POST /api/v1/returns/without-receipt')}
          canSearch={routes.has('GET /api/v1/items')}
        />
      );
      break;
    case 'xReport':
      panel = <XReportPanel onClose={back} />;
      break;
    case 'closeShift':
      panel = (
        <CloseShiftPanel
          currency={currency}
          openCart={hasLines}
          onClose={back}
          onClosed={(z) => {
            clearCart();
            onShiftClosed(z);
          }}
        />
      );
      break;
    case 'park':
      panel = (
        <ParkPanel
          cart={cart}
          currency={currency}
          onClose={back}
          onParked={() => {
            clearCart();
            back();
            setNotice('Sale parked');
          }}
          onResumed={(c) => {
            showCart(c);
            setSelected(c.lines[c.lines.length - 1]?.lineNo);
            back();
          }}
        />
      );
      break;
    case 'voidSale':
      panel = cart ? (
        <VoidSalePanel
          cart={cart}
          onClose={back}
          onVoided={() => {
            clearCart();
            back();
            setNotice('Sale voided');
          }}
        />
      ) : null;
      break;
    case 'drawer':
      panel = <DrawerPanel currency={currency} onClose={back} />;
      break;
    case 'customer':
      panel = (
        <CustomerPanel
          cart={cart}
          known={customer}
          ensureCart={ensureCart}
          onCart={showCart}
          onCustomer={setCustomer}
          onClose={back}
        />
      );
      break;
    case 'weigh':
      panel = (
        <WeighPanel
          key={mode.code}
          name={mode.name}
          error={scanError}
          onWeight={(g) => void addCode(mode.code, g)}
          onClose={back}
        />
      );
      break;
    case 'giftCard':
      panel = <GiftCardPanel currency={currency} onClose={back} setScanTarget={setScanTarget} />;
      break;
    default:
      panel = null;
  }
  panel ??= (
    <SalePanel
      currency={currency}
      canSearch={routes.has('GET /api/v1/items')}
      scanError={scanError}
      lastAdded={lastAdded}
      focusToken={focusToken}
      onCode={(c) => void addCode(c)}
      onAction={act}
      hasLines={hasLines}
      busy={false}
    />
  );

  const wide = WIDE.has(mode.kind);
  const messages = (
    <>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {mode.kind !== 'sale' && mode.kind !== 'weigh' && scanError ? (
        <p className="field-error" role="alert">
          {scanError.message}
        </p>
      ) : null}
    </>
  );
  return (
    <>
      <main className={`register ${wide ? 'wide' : ''}`} data-mode={mode.kind}>
        {wide ? null : (
          <div className={`cart-column ${mode.kind === 'receipt' ? 'paid' : ''}`}>
            <CartView
              cart={shownCart}
              customer={
                shownCart?.customerId
                  ? (customer ??
                    (mode.kind === 'receipt' ? mode.paidCustomer : undefined) ?? {
                      customerId: shownCart.customerId,
                    })
                  : undefined
              }
              currency={currency}
              selected={selected}
              onSelect={setSelected}
              onQty={(n, q) => void changeQty(n, q)}
              onVoid={(n) => void voidLine(n)}
              busy={mode.kind === 'pay' || mode.kind === 'receipt'}
            />
            {messages}
          </div>
        )}
        <div className="side">
          {wide ? messages : null}
          {panel}
        </div>
      </main>
      <nav className="keys" aria-label="Shortcuts">
        {SHORTCUTS.filter((s) => s.fKey).map((s) => (
          <button key={s.action} type="button" className="key-button" onClick={() => act(s.action)}>
            <Kbd>{keyLabel(s)}</Kbd>
            <span>{s.label}</span>
          </button>
        ))}
        <span className="key-hint">
          <Kbd>↑</Kbd>
          <Kbd>↓</Kbd> line · <Kbd>Esc</Kbd> back · Alt+letter: see buttons
        </span>
        <span className="muted shift-note">{shift.cashierId}</span>
      </nav>
      {pin ? <PinPad request={pin} onDone={() => setPin(undefined)} /> : null}
    </>
  );
}
