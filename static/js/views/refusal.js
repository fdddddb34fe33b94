/**
 * A value typed into a number field that cannot be taken (η = −1, n = 100000) is put back,
 * and the field says why in the browser's own bubble beside it, until the user types again.
 */

/** The range a number field accepts, in words ("≥ 4 and ≤ 1000"), from its min and max. */
export function rangeOf(field) {
  return [field.min && `≥ ${field.min}`, field.max && `≤ ${field.max}`].filter(Boolean).join(" and ");
}

/** Puts `kept` back into `field` and shows `reason` beside it. */
export function refuse(field, kept, reason) {
  field.value = String(kept);
  field.setCustomValidity(reason);
  field.reportValidity();
  field.addEventListener("input", () => field.setCustomValidity(""), { once: true });
}

/** True (and the value refused) when a number field's value is outside its min/max or
 * not a number; `name` names the field in the reason. */
export function refusedOutOfRange(field, kept, name) {
  if (field.type !== "number" || (field.value.trim() !== "" && field.checkValidity())) return false;
  const typed = field.value.trim() || "an empty field";
  refuse(field, kept, `${name} must be a number ${rangeOf(field)} (not ${typed}); it stays ${kept}.`);
  return true;
}
