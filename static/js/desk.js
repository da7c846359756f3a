// The desk: ask before buttons that act at once (marked data-confirm). A separate file,
// because the Content Security Policy allows no inline script.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var question = button && button.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});
