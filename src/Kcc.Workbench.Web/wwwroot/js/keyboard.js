// Workbench shortcuts (SCREENS.md keyboard map). Components register a .NET handler; the newest registration
// gets a shortcut first and says whether it handled it. Browser and screen-reader keys are never taken.
window.kccKeyboard = (function () {
    const handlers = [];
    const known = new Set(["Alt+N", "Alt+Q", "Alt+P", "Ctrl+Enter", "?"]);

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

    document.addEventListener("keydown", async function (e) {
        const shortcut = describe(e);
        if (!shortcut || !known.has(shortcut)) return;
        if (shortcut === "?" && isTyping(e.target)) return;
        e.preventDefault();
        // Let the field that has focus commit its value before a save reads the form: blur commits it, and the
        // short pause lets the server finish handling that last input event before the save arrives.
        if (shortcut === "Ctrl+Enter" && isTyping(e.target)) {
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
        focus: function (selector) {
            const el = document.querySelector(selector);
            if (el) { el.focus(); if (el.select) el.select(); }
        }
    };
})();
