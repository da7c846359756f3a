// Show only the consent to jurisdiction that fits the chosen country (§ 512(g)(3)(D)).
// Without JavaScript both texts stay visible, each saying when it applies.
(function () {
  var country = document.getElementById("id_country");
  if (!country) return;
  function update() {
    var chosen = country.value;
    document.querySelectorAll("[data-consent]").forEach(function (text) {
      var fits = text.getAttribute("data-consent") === (chosen === "US" ? "us" : "abroad");
      text.hidden = chosen !== "" && !fits;
    });
  }
  country.addEventListener("change", update);
  update();
})();
