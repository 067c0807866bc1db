/** Client-side checks mirroring the API's CustomerCreate / CustomerUpdate rules. */
import type { CustomerCreate, CustomerOut, CustomerStatus } from '@/api/client';

export type CustomerFormValues = {
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  status: CustomerStatus;
  city: string;
  country: string;
  email_consent: boolean;
};

export type CustomerFormField = keyof CustomerFormValues;
export type CustomerFormErrors = Partial<Record<CustomerFormField, string>>;

export const CUSTOMER_FORM_FIELDS: readonly CustomerFormField[] = [
  'first_name',
  'last_name',
  'email',
  'phone',
  'status',
  'city',
  'country',
  'email_consent',
];

export const EMPTY_CUSTOMER: CustomerFormValues = {
  first_name: '',
  last_name: '',
  email: '',
  phone: '',
  status: 'active',
  city: '',
  country: '',
  email_consent: false,
};

export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** E.164: a plus, a country code that does not start with 0, 7 to 15 digits in all. */
export const E164_RE = /^\+[1-9][0-9]{6,14}$/;
export const COUNTRY_RE = /^[A-Z]{2}$/;

/** Spaces, dashes, dots and brackets people type in phone numbers; the API wants digits only. */
export function normalizePhone(phone: string): string {
  return phone.replace(/[\s\-().]/g, '');
}

export function customerToFormValues(customer: CustomerOut): CustomerFormValues {
  return {
    first_name: customer.first_name,
    last_name: customer.last_name,
    email: customer.email,
    phone: customer.phone ?? '',
    status: customer.status,
    city: customer.city ?? '',
    country: customer.country ?? '',
    email_consent: customer.email_consent,
  };
}

export function validateCustomer(values: CustomerFormValues): CustomerFormErrors {
  const errors: CustomerFormErrors = {};
  if (values.first_name.trim() === '') errors.first_name = 'Enter a first name';
  else if (values.first_name.trim().length > 100) errors.first_name = 'At most 100 characters';
  if (values.last_name.trim() === '') errors.last_name = 'Enter a last name';
  else if (values.last_name.trim().length > 100) errors.last_name = 'At most 100 characters';
  const email = values.email.trim();
  if (email === '') errors.email = 'Enter an email address';
  else if (!EMAIL_RE.test(email) || email.length > 254) errors.email = 'Enter a valid email address';
  const phone = normalizePhone(values.phone);
  if (phone !== '' && !E164_RE.test(phone)) {
    errors.phone = 'Use international format: + and country code, e.g. +4915123456789';
  }
  const country = values.country.trim().toUpperCase();
  if (country !== '' && !COUNTRY_RE.test(country)) errors.country = 'Use a two-letter country code, e.g. DE';
  if (values.city.trim().length > 100) errors.city = 'At most 100 characters';
  return errors;
}

/** The request body: trimmed, empty optional fields as null, country upper-cased. */
export function toCustomerBody(values: CustomerFormValues): CustomerCreate {
  const phone = normalizePhone(values.phone);
  const city = values.city.trim();
  const country = values.country.trim().toUpperCase();
  return {
    first_name: values.first_name.trim(),
    last_name: values.last_name.trim(),
    email: values.email.trim(),
    phone: phone === '' ? null : phone,
    status: values.status,
    city: city === '' ? null : city,
    country: country === '' ? null : country,
    email_consent: values.email_consent,
  };
}
