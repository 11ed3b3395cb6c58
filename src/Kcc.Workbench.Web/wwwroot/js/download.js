// Downloads a CSV export with progress: the server announces the number of rows (X-Kcc-Rijen) and the page counts the
// lines as they arrive, so a team lead exporting a year of questions sees how far it is instead of a frozen button.
window.kccDownload = async function (url, fileName, progress) {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) {
        let message = "De export is mislukt. Probeer het opnieuw.";
        try {
            const problem = await response.json();
            if (problem && problem.detail) message = problem.detail;
        } catch { /* not problem details */ }
        return { ok: false, message: message };
    }
    const total = parseInt(response.headers.get("X-Kcc-Rijen") || "0", 10);
    const reader = response.body.getReader();
    const chunks = [];
    let lines = 0;
    let lastReport = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
        if (progress && total > 0 && Date.now() - lastReport > 250) {
            lastReport = Date.now();
            await progress.invokeMethodAsync("OnDownloadProgress", Math.min(lines - 1, total), total);
        }
    }
    const blob = new Blob(chunks, { type: "text/csv;charset=utf-8" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    return { ok: true, message: null, rows: total };
};
