/**
 * The demo organisation's cast and scenery: places, customers, projects, solutions, staff
 * and contacts the generator (demo-seed.ts) picks from. Data only, kept apart so that the
 * generator reads as the rules it follows.
 */
import type { Solution, TeamMember } from "../core/deal.js";

export const DEMO_ORG = "Demo Partners";
export const DEMO_ADMIN_EMAIL = "admin@demo.example";
export const DEMO_USER_EMAIL = "ana.silva@demo.example";

export interface Place {
  country: string;
  currency: string;
  city: string;
  state: string | null;
  postalCode: string;
  street: string;
  phone: string;
}

export const PLACES: readonly [Place, ...Place[]] = [
  {
    country: "US",
    currency: "USD",
    city: "Seattle",
    state: "Washington",
    postalCode: "98101",
    street: "1200 Pine Street",
    phone: "+1 206 555 0142",
  },
  {
    country: "US",
    currency: "USD",
    city: "Austin",
    state: "Texas",
    postalCode: "78701",
    street: "400 Congress Avenue",
    phone: "+1 512 555 0188",
  },
  {
    country: "FR",
    currency: "EUR",
    city: "Paris",
    state: null,
    postalCode: "75008",
    street: "24 rue de Rivoli",
    phone: "+33 1 55 55 01 23",
  },
  {
    country: "FR",
    currency: "EUR",
    city: "Lyon",
    state: null,
    postalCode: "69002",
    street: "8 quai Saint-Antoine",
    phone: "+33 4 55 55 02 47",
  },
  {
    country: "DE",
    currency: "EUR",
    city: "München",
    state: "Bayern",
    postalCode: "80331",
    street: "Marienplatz 12",
    phone: "+49 89 5555 0131",
  },
  {
    country: "GB",
    currency: "GBP",
    city: "London",
    state: null,
    postalCode: "EC2A 4NE",
    street: "30 Finsbury Square",
    phone: "+44 20 5555 0199",
  },
  {
    country: "CA",
    currency: "CAD",
    city: "Toronto",
    state: "Ontario",
    postalCode: "M5H 2N2",
    street: "100 King Street West",
    phone: "+1 416 555 0175",
  },
  {
    country: "AU",
    currency: "AUD",
    city: "Sydney",
    state: "New South Wales",
    postalCode: "2000",
    street: "88 George Street",
    phone: "+61 2 5555 0166",
  },
  {
    country: "JP",
    currency: "JPY",
    city: "Tokyo",
    state: null,
    postalCode: "100-0005",
    street: "1-1 Marunouchi",
    phone: "+81 3 5555 0110",
  },
  {
    country: "ES",
    currency: "EUR",
    city: "Madrid",
    state: null,
    postalCode: "28013",
    street: "Gran Vía 32",
    phone: "+34 91 555 0134",
  },
  {
    country: "NL",
    currency: "EUR",
    city: "Amsterdam",
    state: null,
    postalCode: "1017 CE",
    street: "Herengracht 420",
    phone: "+31 20 555 0152",
  },
  {
    country: "BR",
    currency: "BRL",
    city: "São Paulo",
    state: "SP",
    postalCode: "01310-100",
    street: "Avenida Paulista 1000",
    phone: "+55 11 5555 0190",
  },
  {
    country: "SG",
    currency: "SGD",
    city: "Singapore",
    state: null,
    postalCode: "018989",
    street: "10 Marina Boulevard",
    phone: "+65 6555 0127",
  },
];

export const CUSTOMERS: readonly [string, ...string[]] = [
  "Contoso Pharmaceuticals",
  "Fabrikam Residences",
  "Northwind Traders",
  "Adventure Works Cycles",
  "Tailspin Toys",
  "Wide World Importers",
  "Woodgrove Bank",
  "Alpine Ski House",
  "Coho Winery",
  "Fourth Coffee",
  "Lucerne Publishing",
  "Margie's Travel",
  "Trey Research",
  "Wingtip Toys",
  "Blue Yonder Airlines",
  "Humongous Insurance",
  "Relecloud",
  "Lamna Healthcare",
  "Proseware",
  "Litware",
  "VanArsdel",
  "City Power & Light",
];

export const PROJECTS: readonly [string, ...string[]] = [
  "Azure migration",
  "Dynamics 365 Sales rollout",
  "Teams Phone deployment",
  "Data platform modernisation",
  "Zero Trust security assessment",
  "Copilot pilot",
  "SAP on Azure",
  "Azure Virtual Desktop",
  "Fabric analytics",
  "Power Platform centre of excellence",
];

/** Solution IDs with list prices, in the shape Partner Center's catalogue uses. */
export const SOLUTIONS: readonly [Solution, ...Solution[]] = [
  { id: "SOL-4821-CLDM", currency: "USD", price: 1200, quantity: 25 },
  { id: "SOL-3377-DYNS", currency: "USD", price: 95, quantity: 150 },
  { id: "SOL-5102-SECA", currency: "USD", price: 18000, quantity: 1 },
  { id: "SOL-2290-DATA", currency: "USD", price: 450, quantity: 40 },
  { id: "SOL-6614-MWRK", currency: "USD", price: 36, quantity: 500 },
  { id: "SOL-7045-AIPL", currency: "USD", price: 30, quantity: 300 },
];

/** The partner's sales staff; Ana Silva is the demo's Referrals user. */
export const STAFF: readonly [TeamMember, ...TeamMember[]] = [
  { firstName: "Ana", lastName: "Silva", phone: "+1 425 555 0101", email: DEMO_USER_EMAIL },
  { firstName: "Morgan", lastName: "Lee", phone: "+1 425 555 0102", email: DEMO_ADMIN_EMAIL },
  {
    firstName: "Karim",
    lastName: "Haddad",
    phone: "+33 1 55 55 01 03",
    email: "karim.haddad@demo.example",
  },
  { firstName: "Sofia", lastName: "Rossi", phone: null, email: "sofia.rossi@demo.example" },
  {
    firstName: "Kenji",
    lastName: "Sato",
    phone: "+81 3 5555 0104",
    email: "kenji.sato@demo.example",
  },
];

export const CONTACTS: readonly [[string, string], ...[string, string][]] = [
  ["Jordan", "Miller"],
  ["Camille", "Dubois"],
  ["Lukas", "Becker"],
  ["Olivia", "Brown"],
  ["Hiro", "Tanaka"],
  ["Lucía", "García"],
  ["Daan", "de Vries"],
  ["Mariana", "Costa"],
];

/** A row of a seed file: the fields it sets, its solutions and team, and any special cells. */
