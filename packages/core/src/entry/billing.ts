// @aiaas/core/billing: Prices, periods, statements, invoices, credits, plans, subscriptions (the ledger side; Stripe is `@aiaas/core/stripe`).
export { usageCost, type UnitPrices } from "../billing/usage-cost.ts";
export { formatPerMillionTokens, formatUsd, microsToUsd, usdPerUnit, usdToMicros } from "../billing/money.ts";
export { billingPeriodOf, billingPeriodNamed, type BillingPeriod } from "../billing/billing-period.ts";
export { accountStatement, type PeriodStatement } from "../billing/account-statement.ts";
export { includedUsageOf } from "../billing/free-allowance.ts";
export { platformBilling } from "../billing/platform-billing.ts";
export { previewInvoice, type InvoiceView, type InvoiceLineView } from "../billing/invoice-preview.ts";
export { grantCredits, type GrantCreditsInput } from "../billing/grant-credits.ts";
export { setModelPrice, listModelPrices, type SetModelPriceInput } from "../billing/set-model-price.ts";
export { createPlan, setPlanTerms, type PlanTermsChange } from "../billing/set-plan-terms.ts";
export { chargeSubscriptions } from "../billing/charge-subscriptions.ts";
