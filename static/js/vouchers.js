// Nytt verifikat: the live sum of debit and credit (kronor typed with a decimal comma, "1 250,50")
// and the difference, and "Lägg till rad" (a copy of the formset's empty row). The server checks
// the balance again; this only shows it while typing.
(function () {
  "use strict";
  var form = document.querySelector("[data-voucher-form]");
  if (!form) return;
  var body = form.querySelector("[data-voucher-rows]");
  var template = form.querySelector("template[data-voucher-row-template]");
  var total = form.querySelector("input[name$='-TOTAL_FORMS']");
  var debitOut = form.querySelector("[data-testid='voucher-debit-total']");
  var creditOut = form.querySelector("[data-testid='voucher-credit-total']");
  var diffOut = form.querySelector("[data-testid='voucher-difference']");

  function ore(text) {
    var clean = (text || "").replace(/[\s\u00a0]/g, "").replace(",", ".");
    if (!/^\d{1,9}(\.\d{1,2})?$/.test(clean)) return 0;
    var parts = clean.split(".");
    var frac = ((parts[1] || "") + "00").slice(0, 2);
    return parseInt(parts[0], 10) * 100 + parseInt(frac, 10);
  }

  function kronor(value) {
    var sign = value < 0 ? "−" : "";
    value = Math.abs(value);
    var whole = String(Math.floor(value / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
    return sign + whole + "," + String(value % 100).padStart(2, "0");
  }

  function update() {
    var debit = 0, credit = 0;
    form.querySelectorAll("input[name$='-debit']").forEach(function (i) { debit += ore(i.value); });
    form.querySelectorAll("input[name$='-credit']").forEach(function (i) { credit += ore(i.value); });
    debitOut.textContent = kronor(debit);
    creditOut.textContent = kronor(credit);
    var diff = debit - credit;
    diffOut.textContent = diff === 0 ? diffOut.dataset.balancedText : kronor(diff);
    diffOut.classList.toggle("error", diff !== 0);
    diffOut.dataset.differenceOre = String(diff);
  }

  form.addEventListener("input", update);
  var add = form.querySelector("[data-voucher-add-row]");
  if (add && template && total) {
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var rows = body.querySelectorAll("[data-voucher-row]");
      var first = rows[rows.length - 1].querySelector("input");
      if (first) first.focus();
    });
  }
  update();
})();
