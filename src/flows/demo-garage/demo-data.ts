import type { Role } from '../../platform/auth/roles.ts'
import { vinCheckDigit } from '../../modules/vin/index.ts'

/** A demo account before it is inserted. */
export interface DemoAccount {
  email: string
  name: string
  role: Role
  phone: string
}

/** A demo vehicle before it is inserted; `ownerEmail` links it to its customer. */
export interface DemoVehicle {
  ownerEmail: string
  make: string
  model: string
  year: number
  vin: string
  licensePlate: string
  mileage: number
  color: string
}

// A seeded generator: the demo garage is the same on every machine, which makes screenshots,
// bug reports and walkthroughs comparable.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const STAFF: Omit<DemoAccount, 'phone'>[] = [
  { email: 'admin@ecar.demo', name: 'Dana Whitfield', role: 'admin' },
  { email: 'advisor@ecar.demo', name: 'Priya Shah', role: 'advisor' },
  { email: 'mechanic1@ecar.demo', name: 'Tomasz Nowak', role: 'mechanic' },
  { email: 'mechanic2@ecar.demo', name: 'Jordan Blake', role: 'mechanic' },
]

const CUSTOMER_NAMES = [
  'Oliver Bennett', 'Amelia Clarke', 'Harry Patel', 'Isla Murphy', 'George Evans',
  'Sophie Turner', 'Mohammed Khan', 'Emily Hughes', 'Jack Robinson', 'Grace Okafor',
  'Charlie Wood', 'Freya Lewis', 'Noah Fischer', 'Ava Morgan', 'Leo Martins',
  'Chloe Walsh', 'Arthur Price', 'Mia Kowalski', 'Ethan Brooks', 'Lily Andersen',
]

// WMI: the real world manufacturer identifier of the plant that builds the model for Europe.
const CATALOGUE = [
  { make: 'Ford', model: 'Fiesta', wmi: 'WF0', from: 2009, to: 2022 },
  { make: 'Ford', model: 'Focus', wmi: 'WF0', from: 2011, to: 2024 },
  { make: 'Vauxhall', model: 'Corsa', wmi: 'W0L', from: 2010, to: 2024 },
  { make: 'Volkswagen', model: 'Golf', wmi: 'WVW', from: 2009, to: 2024 },
  { make: 'Volkswagen', model: 'Polo', wmi: 'WVW', from: 2010, to: 2023 },
  { make: 'Toyota', model: 'Yaris', wmi: 'VNK', from: 2011, to: 2024 },
  { make: 'Toyota', model: 'Corolla', wmi: 'SB1', from: 2019, to: 2024 },
  { make: 'Honda', model: 'Civic', wmi: 'SHH', from: 2012, to: 2021 },
  { make: 'Nissan', model: 'Qashqai', wmi: 'SJN', from: 2014, to: 2024 },
  { make: 'BMW', model: '3 Series', wmi: 'WBA', from: 2012, to: 2024 },
  { make: 'Mercedes-Benz', model: 'C-Class', wmi: 'WDD', from: 2014, to: 2023 },
  { make: 'Audi', model: 'A3', wmi: 'WAU', from: 2013, to: 2024 },
  { make: 'Skoda', model: 'Octavia', wmi: 'TMB', from: 2013, to: 2024 },
  { make: 'Kia', model: 'Sportage', wmi: 'U5Y', from: 2016, to: 2024 },
  { make: 'Hyundai', model: 'Tucson', wmi: 'TMA', from: 2015, to: 2024 },
  { make: 'Peugeot', model: '208', wmi: 'VF3', from: 2012, to: 2024 },
  { make: 'Renault', model: 'Clio', wmi: 'VF1', from: 2013, to: 2023 },
  { make: 'Volvo', model: 'XC60', wmi: 'YV1', from: 2017, to: 2024 },
  { make: 'Mazda', model: 'CX-5', wmi: 'JMZ', from: 2017, to: 2024 },
  { make: 'MINI', model: 'Cooper', wmi: 'WMW', from: 2014, to: 2024 },
  { make: 'Tesla', model: 'Model 3', wmi: '5YJ', from: 2019, to: 2024 },
]

const COLOURS = ['Black', 'White', 'Silver', 'Grey', 'Blue', 'Red', 'Green', 'Orange', 'Beige', 'Brown']

const VIN_ALPHABET = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'
// ISO 3779 model-year codes, 1980 = A, repeating every 30 years.
const YEAR_CODES = 'ABCDEFGHJKLMNPRSTVWXY123456789'
function pick<T>(rng: () => number, items: readonly T[]): T
function pick(rng: () => number, items: string): string
function pick(rng: () => number, items: ArrayLike<unknown>): unknown {
  return items[Math.floor(rng() * items.length)]
}

function demoVin(rng: () => number, wmi: string, year: number, serial: number): string {
  let vds = ''
  for (let i = 0; i < 5; i++) vds += pick(rng, VIN_ALPHABET)
  const plant = pick(rng, 'ABCDEFGHJKLMNPRSTUVWXYZ')
  // The serial makes every demo VIN unique; the check digit makes it pass real decoders.
  const draft = `${wmi}${vds}0${YEAR_CODES[(year - 1980) % 30]}${plant}${String(serial).padStart(6, '0')}`
  return `${draft.slice(0, 8)}${vinCheckDigit(draft)}${draft.slice(9)}`
}

// Current British format: area letters, an age identifier (yy from March, yy+50 from September), three letters.
function demoPlate(rng: () => number, year: number): string {
  const area = pick(rng, 'ABCDEFGHKLMNOPRSVWY') + pick(rng, 'ABCDEFGHJKLMNOPRSTUVWXY')
  const age = String((year % 100) + (rng() < 0.5 ? 0 : 50)).padStart(2, '0')
  let tail = ''
  for (let i = 0; i < 3; i++) tail += pick(rng, 'ABCDEFGHJKLMNOPRSTUVWXYZ')
  return `${area}${age} ${tail}`
}

/** The demo garage: 4 staff, 20 customers, each customer with 1 to 3 vehicles. Deterministic. */
export function demoGarage(now = new Date()): { accounts: DemoAccount[]; vehicles: DemoVehicle[] } {
  const rng = mulberry32(0xeca2)
  // Ofcom reserves 07700 900000–900999 for fiction: these numbers reach nobody.
  let phone = 100
  const nextPhone = () => `07700 900${String(phone++).padStart(3, '0')}`
  const accounts: DemoAccount[] = STAFF.map((s) => ({ ...s, phone: nextPhone() }))
  const vehicles: DemoVehicle[] = []
  const plates = new Set<string>()
  CUSTOMER_NAMES.forEach((name, i) => {
    const email = `customer${i + 1}@ecar.demo`
    accounts.push({ email, name, role: 'customer', phone: nextPhone() })
    const count = 1 + Math.floor(rng() * 3)
    for (let v = 0; v < count; v++) {
      const spec = pick(rng, CATALOGUE)
      const year = spec.from + Math.floor(rng() * (spec.to - spec.from + 1))
      let plate = demoPlate(rng, year)
      while (plates.has(plate)) plate = demoPlate(rng, year)
      plates.add(plate)
      const ageYears = Math.max(0.5, now.getUTCFullYear() - year)
      vehicles.push({
        ownerEmail: email,
        make: spec.make,
        model: spec.model,
        year,
        vin: demoVin(rng, spec.wmi, year, 104_000 + vehicles.length * 37),
        licensePlate: plate,
        mileage: Math.round((ageYears * (6000 + rng() * 8000)) / 10) * 10,
        color: pick(rng, COLOURS),
      })
    }
  })
  return { accounts, vehicles }
}
