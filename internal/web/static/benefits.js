// The success page's copy buttons: a click puts the license key on the clipboard.
document.addEventListener("click", (e) => {
  const b = e.target.closest("button[data-copy]");
  if (!b) return;
  navigator.clipboard.writeText(b.dataset.copy).then(() => {
    b.textContent = "Copied";
    setTimeout(() => { b.textContent = "Copy"; }, 2000);
  }, () => {
    const code = b.parentElement.querySelector("code");
    if (code) getSelection().selectAllChildren(code); // no clipboard access: select it for Ctrl+C
  });
});
