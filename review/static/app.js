// Progressive enhancement only: every page works without this script.
// Facet links keep the current query; the search box submits on Enter
// natively. Here: confirm before dismissing a flag without a comment.
document.addEventListener("submit", function (e) {
  var form = e.target;
  var btn = form.querySelector("button.dismiss");
  if (!btn) return;
  var comment = form.querySelector("input[name=comment]");
  if (comment && comment.value.trim() === "" && !window.confirm("Écarter ce signalement sans commentaire ?")) {
    e.preventDefault();
  }
});
