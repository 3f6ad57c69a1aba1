/**
 * Word lists for the demo chain: German stores, a mixed grocery and drugstore range. VAT follows
 * German rules in spirit: 7 % for food (including coffee and milk), 19 % for everything else.
 */
export const FOOD_VAT_BP = 700;
export const STANDARD_VAT_BP = 1900;

export const demoStores = [
  { name: 'Tally Markt Berlin-Mitte', address: 'Torstraße 112, 10119 Berlin' },
  { name: 'Tally Markt Hamburg-Altona', address: 'Ottenser Hauptstraße 44, 22765 Hamburg' },
  { name: 'Tally Markt München-Schwabing', address: 'Leopoldstraße 71, 80802 München' },
  { name: 'Tally Markt Köln-Ehrenfeld', address: 'Venloer Straße 305, 50823 Köln' },
  { name: 'Tally Markt Leipzig-Zentrum', address: 'Grimmaische Straße 9, 04109 Leipzig' },
] as const;

export interface DemoCategory {
  name: string;
  taxRateBp: number;
  /** Shelf price range in cents, gross. */
  price: [number, number];
  brands: string[];
  items: string[];
  sizes: string[];
}

export const demoCategories: DemoCategory[] = [
  {
    name: 'Bakery',
    taxRateBp: FOOD_VAT_BP,
    price: [49, 399],
    brands: ['Backhaus Korn', 'Goldähre', 'Mühlenhof'],
    items: ['Roggenbrot', 'Dinkelvollkornbrot', 'Laugenbrezel', 'Croissant', 'Toastbrot', 'Körnerbrötchen'],
    sizes: ['1 Stk', '4 Stk', '500 g', '750 g'],
  },
  {
    name: 'Dairy',
    taxRateBp: FOOD_VAT_BP,
    price: [59, 499],
    brands: ['Alpenhof', 'Weidegrün', 'Küstenmolkerei'],
    items: ['Frische Vollmilch 3,5 %', 'Naturjoghurt', 'Butter', 'Gouda jung', 'Quark 20 %', 'Schlagsahne'],
    sizes: ['200 g', '250 g', '500 g', '1 l'],
  },
  {
    name: 'Fruit & Vegetables',
    taxRateBp: FOOD_VAT_BP,
    price: [79, 449],
    brands: ['Feldfrisch', 'Sonnengut', 'Bio Hof'],
    items: ['Äpfel Elstar', 'Bananen', 'Tomaten Rispe', 'Karotten', 'Kartoffeln festkochend', 'Gurke'],
    sizes: ['500 g', '1 kg', '2 kg', '1 Stk'],
  },
  {
    name: 'Pantry',
    taxRateBp: FOOD_VAT_BP,
    price: [69, 599],
    brands: ['Vorratskammer', 'Nonna Lucia', 'Goldkorn'],
    items: [
      'Spaghetti',
      'Basmati Reis',
      'Weizenmehl Type 405',
      'Passierte Tomaten',
      'Olivenöl extra vergine',
      'Haferflocken',
    ],
    sizes: ['400 g', '500 g', '1 kg', '750 ml'],
  },
  {
    name: 'Coffee & Tea',
    taxRateBp: FOOD_VAT_BP,
    price: [149, 1299],
    brands: ['Röstwerk', 'Teegarten', 'Kaffeemühle Nord'],
    items: [
      'Kaffee ganze Bohne',
      'Filterkaffee gemahlen',
      'Espresso',
      'Grüner Tee',
      'Pfefferminztee',
      'Früchtetee',
    ],
    sizes: ['20 Btl', '250 g', '500 g', '1 kg'],
  },
  {
    name: 'Beverages',
    taxRateBp: STANDARD_VAT_BP,
    price: [39, 349],
    brands: ['Quellgold', 'Fruchthain', 'Brause & Co'],
    items: [
      'Mineralwasser still',
      'Mineralwasser medium',
      'Apfelschorle',
      'Orangensaft',
      'Cola',
      'Zitronenlimonade',
    ],
    sizes: ['0,5 l', '0,75 l', '1 l', '1,5 l'],
  },
  {
    name: 'Snacks',
    taxRateBp: FOOD_VAT_BP,
    price: [79, 399],
    brands: ['Knusperwerk', 'Schokomanufaktur', 'Nussbaum'],
    items: [
      'Kartoffelchips Paprika',
      'Vollmilchschokolade',
      'Salzstangen',
      'Studentenfutter',
      'Gummibärchen',
      'Butterkekse',
    ],
    sizes: ['100 g', '150 g', '200 g', '300 g'],
  },
  {
    name: 'Household',
    taxRateBp: STANDARD_VAT_BP,
    price: [99, 899],
    brands: ['Blitzblank', 'Hausfreund', 'Ökoklar'],
    items: [
      'Spülmittel',
      'Vollwaschmittel',
      'Allzweckreiniger',
      'Küchenrolle',
      'Müllbeutel 35 l',
      'Spülmaschinentabs',
    ],
    sizes: ['500 ml', '1 l', '20 Stk', '4 Rollen'],
  },
  {
    name: 'Personal Care',
    taxRateBp: STANDARD_VAT_BP,
    price: [89, 799],
    brands: ['Sanftpflege', 'Naturblüte', 'Frischwerk'],
    items: ['Duschgel', 'Shampoo', 'Zahnpasta', 'Handcreme', 'Deo Roller', 'Seife'],
    sizes: ['50 ml', '75 ml', '250 ml', '300 ml'],
  },
];
