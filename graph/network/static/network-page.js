/* habitat-kg: draws the /network page's view. A file of its own, not an inline script, so that
 * the page's Content-Security-Policy can refuse every inline script; the data comes from the
 * page's <script type="application/json" id="network-data"> block (never run), the link for a
 * node's neighbourhood from that block's data-neighbourhood-url attribute. */
(function () {
  "use strict";
  var data = document.getElementById("network-data");
  if (!data) { return; }
  window.HabitatNetwork.draw(document.getElementById("network"), JSON.parse(data.textContent),
    { neighbourhoodUrl: data.getAttribute("data-neighbourhood-url") });
})();
