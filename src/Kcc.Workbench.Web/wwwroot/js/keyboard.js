// Workbench shortcuts (SCREENS.md keyboard map). Components register a .NET handler; the newest registration
// gets a shortcut first and says whether it handled it. Browser and screen-reader keys are never taken.
window.kccKeyboard = (function () {
    const handlers = [];
    const known = new Set(["Alt+N", "Alt+Q", "Alt+P", "Alt+K", "Alt+V", "Ctrl+Enter", "?"]);

    function describe(e) {
        if (e.key === "?" && !e.ctrlKey && !e.altKey && !e.metaKey) return "?";
        if ((e.ctrlKey || e.metaKey) && e.key === "Enter") return "Ctrl+Enter";
        if (e.altKey && !e.ctrlKey && !e.metaKey && e.code && e.code.startsWith("Key")) return "Alt+" + e.code.substring(3);
        return null;
    }

    function isTyping(target) {
        if (!target) return false;
        const tag = target.tagName;
        return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
    }

    function moveFocus(shortcut) {
        let target = null;
        if (shortcut === "Alt+K") target = document.getElementById("kb-search");
        else if (shortcut === "Alt+P") target = document.getElementById("party-search");
        else if (shortcut === "Alt+V") {
            const topic = document.getElementById("q0-topic");
            target = topic && topic.value ? document.getElementById("q0-text") : topic;
        }
        if (!target) return false;
        target.focus();
        if (target.select) target.select();
        return true;
    }

    document.addEventListener("keydown", async function (e) {
        const shortcut = describe(e);
        if (!shortcut || !known.has(shortcut)) return;
        if (shortcut === "?" && isTyping(e.target)) return;
        e.preventDefault();
        // Fields that keep keystrokes in the browser send them now, so the shortcut's handler reads the whole text
        // (the change events travel on the same circuit, before the shortcut).
        if (window.kccDeferred) window.kccDeferred.flush();
        // Shortcuts that only move the caret are done here, at once: a round trip to the server would let the next
        // key (the ↓ after Alt+K) land in the field the agent is leaving.
        if (moveFocus(shortcut)) return;
        // On the contact form, Alt+N puts the caret in the resident search at once, so keys typed while the server
        // clears the form land there instead of in a field that is about to be emptied.
        if (shortcut === "Alt+N" && handlers.some(h => h.name === "contact-form")) {
            const search = document.getElementById("party-search");
            if (search) { search.focus(); search.select(); }
        }
        // A MudBlazor field commits its value on blur; the short pause lets the server handle it before the save.
        if (shortcut === "Ctrl+Enter" && isTyping(e.target) && !e.target.hasAttribute("data-kcc-deferred")) {
            e.target.blur();
            await new Promise(resolve => setTimeout(resolve, 60));
        }
        for (let i = handlers.length - 1; i >= 0; i--) {
            try {
                if (await handlers[i].ref.invokeMethodAsync("OnShortcut", shortcut)) return;
            } catch (err) {
                console.warn("kccKeyboard", err);
            }
        }
        // A new contact must always be one keystroke away, even before the page has registered its handlers.
        if (shortcut === "Alt+N") {
            if (window.Blazor && typeof window.Blazor.navigateTo === "function") window.Blazor.navigateTo("/contacten/nieuw");
            else window.location.assign("/contacten/nieuw");
        }
    });

    // Arrow keys inside a result list ([data-kcc-roving]): from the search field down to the first result, then from
    // result to result, and back up to the field. Enter on a result is its button's own click.
    document.addEventListener("keydown", function (e) {
        if ((e.key !== "ArrowDown" && e.key !== "ArrowUp") || e.altKey || e.ctrlKey || e.metaKey) return;
        const list = e.target.closest && e.target.closest("[data-kcc-roving]");
        if (!list) return;
        const start = list.querySelector("[data-kcc-roving-start] input, input[data-kcc-roving-start]");
        const items = Array.from(list.querySelectorAll("[data-kcc-roving-item]"));
        if (items.length === 0) return;
        const index = items.indexOf(e.target.closest("[data-kcc-roving-item]"));
        let next = null;
        if (e.target === start) next = e.key === "ArrowDown" ? items[0] : null;
        else if (index >= 0) next = e.key === "ArrowDown" ? items[Math.min(index + 1, items.length - 1)] : (index === 0 ? start : items[index - 1]);
        if (next) { e.preventDefault(); next.focus(); }
    });

    return {
        register: function (ref, name) {
            const existing = handlers.findIndex(h => h.name === name);
            if (existing >= 0) handlers.splice(existing, 1);
            handlers.push({ ref: ref, name: name });
        },
        unregister: function (name) {
            const existing = handlers.findIndex(h => h.name === name);
            if (existing >= 0) handlers.splice(existing, 1);
        },
        /** The page's heading after a navigation, unless the agent is already typing in a field (FocusHeadingOnNavigate). */
        focusHeading: function (selector) {
            const active = document.activeElement;
            if (active && active !== document.body && (isTyping(active) || active.getAttribute("role") === "combobox")) return;
            const el = document.querySelector(selector);
            if (!el) return;
            if (!el.hasAttribute("tabindex")) el.tabIndex = -1;
            el.focus({ preventScroll: true });
        },
        /** Focus on opening a page, unless the agent already moved within the page (the heading does not count). */
        focusUnlessMoved: function (selector) {
            const active = document.activeElement;
            const main = document.getElementById("main");
            if (active && active !== document.body && main && main.contains(active) && active !== main && active.tagName !== "H1") return;
            kccKeyboard.focus(selector);
        },
        focus: function (selector) {
            const el = document.querySelector(selector);
            // Already there (Alt+N put it there at once): keep what the agent typed meanwhile, unselected.
            if (el && el !== document.activeElement) { el.focus(); if (el.select) el.select(); }
        },
        /** Focus with the caret after the text, e.g. after an answer was inserted (selecting it would let the next key wipe it). */
        focusEnd: function (selector) {
            const el = document.querySelector(selector);
            if (!el) return;
            el.focus();
            if (typeof el.setSelectionRange === "function") { const end = el.value.length; el.setSelectionRange(end, end); el.scrollTop = el.scrollHeight; }
        }
    };
})();
