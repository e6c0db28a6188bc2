// Search as soon as the query changes, however it changes. The theme searches
// when a key is released, so a query pasted with the mouse (or dropped, or
// picked from the browser's suggestions) found nothing until a key was pressed.
document.addEventListener("input", function (event) {
  if (event.target.matches("[data-md-component=search-query]") && !event.isComposing) {
    event.target.dispatchEvent(new KeyboardEvent("keyup"));
  }
});
