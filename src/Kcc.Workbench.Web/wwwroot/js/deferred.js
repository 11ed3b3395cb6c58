// Text fields marked data-kcc-deferred keep their keystrokes in the browser: the server hears the text once the agent
// pauses (the attribute's value in ms; data-kcc-deferred-midword: a longer pause when the caret is inside a word), leaves the field, presses Enter, or uses a shortcut (kccDeferred.flush).
// A keystroke then costs the server nothing, and the counter below the field is updated here, not by a render.
window.kccDeferred = (function () {
    function counterOf(el) {
        const id = el.getAttribute("data-kcc-counter");
        return id ? document.getElementById(id) : null;
    }

    function updateCounter(el) {
        const counter = counterOf(el);
        if (!counter) return;
        const max = el.getAttribute("maxlength");
        counter.textContent = max ? el.value.length + " / " + max : String(el.value.length);
    }

    function commit(el) {
        if (el._kccTimer) { clearTimeout(el._kccTimer); el._kccTimer = null; }
        el._kccUnsent = false;
        if (el._kccSent === el.value) return;
        el._kccSent = el.value;
        el.dispatchEvent(new Event("change", { bubbles: true }));
    }

    // A search field (data-kcc-deferred-search: the fewest characters the server searches on) starts the same search
    // for "Jansen" and "Jansen ", and none for "" or "J": such a pause sends nothing. The text still goes to the server
    // on leaving the field, Enter or a shortcut, so the form's draft holds what was typed.
    function searchOf(el, value) {
        const text = (value || "").trim().replace(/\s+/g, " ");
        return text.length < parseInt(el.getAttribute("data-kcc-deferred-search"), 10) ? "" : text;
    }

    function pause(el) {
        el._kccTimer = null;
        if (el.hasAttribute("data-kcc-deferred-search")
            && searchOf(el, el.value) === searchOf(el, el._kccSent === undefined ? el.defaultValue : el._kccSent)) {
            el._kccUnsent = el.value !== (el._kccSent === undefined ? el.defaultValue : el._kccSent);
            return;
        }
        commit(el);
    }

    document.addEventListener("input", function (e) {
        const el = e.target;
        if (!el || !el.hasAttribute || !el.hasAttribute("data-kcc-deferred")) return;
        updateCounter(el);
        if (el._kccTimer) clearTimeout(el._kccTimer);
        const delay = parseInt(el.getAttribute("data-kcc-deferred"), 10) || 300;
        // A field that searches (the question) waits longer in the middle of a word: a search per finished word, and
        // one for a half-typed word once the agent stops, instead of a search per slow keystroke.
        const midWord = parseInt(el.getAttribute("data-kcc-deferred-midword"), 10) || 0;
        const caret = typeof el.selectionStart === "number" ? el.selectionStart : el.value.length;
        const inWord = caret > 0 && /[\p{L}\p{N}]/u.test(el.value.charAt(caret - 1));
        el._kccTimer = setTimeout(function () { pause(el); }, midWord > delay && inWord ? midWord : delay);
    }, true);

    // Leaving the field sends what is pending at once, before the click or key that made focus move is handled.
    document.addEventListener("focusout", function (e) {
        const el = e.target;
        if (el && (el._kccTimer || el._kccUnsent)) commit(el);
    }, true);

    // A native change (Enter in an input, blur) carries the same text: remember it so the timer does not send it twice.
    document.addEventListener("change", function (e) {
        const el = e.target;
        if (el && el.hasAttribute && el.hasAttribute("data-kcc-deferred") && e.isTrusted) {
            if (el._kccTimer) { clearTimeout(el._kccTimer); el._kccTimer = null; }
            el._kccUnsent = false;
            el._kccSent = el.value;
        }
    }, true);

    return {
        /** Sends every field with pending keystrokes now, e.g. before Ctrl+Enter saves the form. */
        flush: function () {
            document.querySelectorAll("[data-kcc-deferred]").forEach(function (el) { if (el._kccTimer || el._kccUnsent) commit(el); });
        }
    };
})();
