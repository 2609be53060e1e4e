// Time reported without coverage (issue 13 item 3, the batch for phones coming back online).
// When the browser is offline, the day page's work form is not sent: the entry is kept on the phone
// (localStorage, one list per company and person) with a client_uuid made here. When coverage is back
// (the "online" event, a page opened online, or "Send now"), the list goes to the batch API
// (POST /api/v1/tenants/{id}/time-entries/batch, the browser's session and CSRF token) in one request:
// every rule of the single create applies to each entry, and a retried send writes nothing twice
// (the client_uuid). Entries the server refused stay listed with its reason until removed.
(() => {
  const box = document.querySelector("[data-offline-queue]");
  if (!box) {
    return;
  }
  const text = box.dataset;
  const store = text.store;
  const flash = store + ".sent";
  const list = box.querySelector("[data-offline-items]");
  const status = box.querySelector("[data-offline-status]");
  const sendButton = box.querySelector("[data-offline-send]");
  const BATCH = 500; // the batch endpoint's most entries per request
  const COMMENT = 2000; // the most characters of a comment (TimeEntryFields)
  let sending = false;

  const load = () => {
    try {
      const items = JSON.parse(localStorage.getItem(store) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (error) {
      return [];
    }
  };
  const save = (items) => {
    if (items.length) {
      localStorage.setItem(store, JSON.stringify(items));
    } else {
      localStorage.removeItem(store);
    }
  };

  // Hours as people type them, as the server reads them (verksam/core/duration.py parse_hours).
  const hours = (value) => {
    const typed = value.trim().toLowerCase().replace(/h$/, "").trim();
    if (!typed) {
      return null;
    }
    let match = typed.match(/^(\d{1,2}):([0-5]\d)$/);
    if (match) {
      return Number(match[1]) * 60 + Number(match[2]);
    }
    match = typed.match(/^(\d{1,2})(?:[.,](\d{1,2}))?$/);
    if (match) {
      const fraction = match[2] || "0";
      return Number(match[1]) * 60 + Math.round((Number(fraction) * 60) / 10 ** fraction.length);
    }
    return undefined;
  };
  const hm = (minutes) => `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, "0")}`;
  const uuid = () => {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };

  const button = (label, testid, className, onClick) => {
    const element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.dataset.testid = testid;
    element.textContent = label;
    element.addEventListener("click", onClick);
    return element;
  };

  const render = (message) => {
    const items = load();
    list.replaceChildren(
      ...items.map((item) => {
        const row = document.createElement("li");
        row.dataset.testid = "offline-item";
        const label = document.createElement("span");
        label.textContent = item.label;
        row.append(label);
        if (item.error) {
          row.classList.add("refused");
          const reason = document.createElement("div");
          reason.className = "error";
          reason.setAttribute("role", "alert");
          reason.textContent = `${text.textRefused}: ${item.error}`;
          const others = (change) =>
            load().flatMap((other) => (other.entry.client_uuid === item.entry.client_uuid ? change(other) : [other]));
          const remove = button(text.textRemove, "offline-remove", "link danger-link", () => {
            save(others(() => []));
            render();
          });
          // dealt with (the day unlocked, say): back among those to send
          const retry = button(text.textRetry, "offline-retry", "link", () => {
            save(others((other) => [{ label: other.label, entry: other.entry }]));
            sendNow();
          });
          const actions = document.createElement("div");
          actions.className = "actions entry-actions";
          actions.append(retry, remove);
          row.append(reason, actions);
        }
        return row;
      })
    );
    const waiting = items.some((item) => !item.error);
    const sent = sessionStorage.getItem(flash);
    sessionStorage.removeItem(flash);
    status.textContent = message || sent || (waiting ? text.textWaiting : "");
    sendButton.parentElement.hidden = !waiting;
    box.hidden = !items.length && !sent && !message;
  };

  const refusal = async (response) => {
    if (response.status !== 403 && response.status !== 404) {
      return null;
    }
    const body = await response.json().catch(() => null);
    return body && (body.code === "forbidden" || body.code === "not_found") && body.message ? body : null;
  };

  const send = async () => {
    const waiting = load().filter((item) => !item.error).slice(0, BATCH);
    if (sending || !waiting.length || !navigator.onLine) {
      return;
    }
    sending = true;
    render(text.textSending);
    let reload = false;
    try {
      const response = await fetch(text.batchUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": text.csrf },
        body: JSON.stringify({ entries: waiting.map((item) => item.entry) }),
      });
      // Refused as a whole, nothing saved: a body the phone's checks let through (422), or a person
      // who may no longer report here (403 forbidden: a partner; 404: deactivated meanwhile). A
      // failed CSRF check (403, another code), a logged-out session (401) or a server error is not a
      // refusal: those wait and are sent again.
      const whole = response.status === 422 ? { message: text.textUnreadable } : await refusal(response);
      if (whole) {
        const refused = new Set(waiting.map((item) => item.entry.client_uuid));
        save(load().map((item) => (refused.has(item.entry.client_uuid) ? { ...item, error: whole.message } : item)));
        render();
        return;
      }
      if (!response.ok) {
        render(text.textFailed);
        return;
      }
      const body = await response.json();
      const done = new Set();
      const errors = new Map();
      for (const result of body.results) {
        const uuidOf = waiting[result.index].entry.client_uuid;
        if (result.status === 200 || result.status === 201) {
          done.add(uuidOf);
        } else {
          errors.set(uuidOf, (result.error && result.error.message) || text.textUnreadable);
        }
      }
      // read again: an entry kept while the request was out stays
      save(
        load()
          .filter((item) => !done.has(item.entry.client_uuid))
          .map((item) => (errors.has(item.entry.client_uuid) ? { ...item, error: errors.get(item.entry.client_uuid) } : item))
      );
      if (done.size) {
        sessionStorage.setItem(flash, text.textSent);
        reload = true; // the page shows the saved time
      } else {
        render();
      }
    } catch (error) {
      render(text.textFailed); // no coverage after all: kept, tried again when it is back
    } finally {
      sending = false;
    }
    if (reload) {
      window.location.reload();
    } else if (load().some((item) => !item.error) && navigator.onLine) {
      send(); // more than one batch was waiting
    }
  };

  const sendNow = () => (navigator.onLine ? send() : render(text.textFailed));

  // The day page's work form, while offline: kept on the phone instead of sent.
  for (const form of document.querySelectorAll("form[data-offline-date]")) {
    form.addEventListener("submit", (event) => {
      if (navigator.onLine) {
        return; // sent as usual
      }
      event.preventDefault();
      const data = new FormData(form);
      const prefix = form.dataset.offlinePrefix || "";
      const value = (name) => String(data.get(prefix + name) || "").trim();
      const id = (name) => (value(name) ? Number(value(name)) : null);
      const problems = [];
      const minutes = hours(value("minutes"));
      const invoiceable = hours(value("invoiceable_minutes"));
      if (minutes === undefined || invoiceable === undefined) {
        problems.push(text.textHours);
      }
      const time = /^([01]\d|2[0-3]):[0-5]\d$/;
      const start = value("start_time");
      const end = value("end_time");
      if ((start && !time.test(start)) || (end && !time.test(end))) {
        problems.push(text.textTime);
      }
      if (!id("project")) {
        problems.push(text.textProject);
      }
      if (minutes === null && !(start && end)) {
        problems.push(text.textHowLong);
      }
      const breakText = value("break_minutes");
      if (breakText && !/^\d{1,4}$/.test(breakText)) {
        problems.push(text.textBreak);
      }
      if (value("comment").length > COMMENT || value("internal_comment").length > COMMENT) {
        problems.push(text.textComment); // the API's limit: longer would refuse the whole batch
      }
      const alert = form.querySelector("[data-offline-problems]");
      alert.textContent = problems.join(" ");
      alert.hidden = !problems.length;
      if (problems.length) {
        return;
      }
      const select = form.querySelector(`[name="${prefix}project"]`);
      const project = select && select.selectedOptions.length ? select.selectedOptions[0].textContent.trim() : "";
      const when = start && end ? `${start}–${end}` : hm(minutes); // as the server counts it
      const entry = {
        client_uuid: uuid(),
        date: form.dataset.offlineDate,
        kind: "work",
        project_id: id("project"),
        activity_id: id("activity"),
        time_code_id: id("time_code"),
        start_time: start || null,
        end_time: end || null,
        break_minutes: Number(breakText || 0),
        minutes,
        invoiceable_minutes: invoiceable,
        comment: value("comment"),
        internal_comment: value("internal_comment"),
      };
      try {
        save([...load(), { label: `${form.dataset.offlineDay} · ${when} · ${project}`, entry }]);
      } catch (error) {
        alert.textContent = text.textFull; // the browser's storage is full: nothing was kept
        alert.hidden = false;
        return;
      }
      form.reset();
      render();
      box.scrollIntoView({ block: "nearest" });
    });
  }

  sendButton.addEventListener("click", () => sendNow());
  window.addEventListener("online", send);
  window.addEventListener("offline", () => render());
  render();
  send();
})();
