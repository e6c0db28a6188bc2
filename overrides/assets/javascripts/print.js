// Print / PDF: collapsed blocks (the GPT-2 model) print opened.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details").forEach(function (details) { details.open = true; });
});
