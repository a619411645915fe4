// Search excerpts from the page's article. Sphinx takes them from [role=main], where the book theme
// puts its header first (the labels of its buttons, the page's table of contents), so every excerpt
// of a page read "Sistema Claro Oscuro 05 · Convolución En esta página…". The title and the buttons
// go too: the result names its page already.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  const sphinxText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    if (anchor) return sphinxText(htmlString, anchor);
    const article = new DOMParser().parseFromString(htmlString, "text/html").querySelector("article");
    if (!article) return sphinxText(htmlString, anchor);
    const left_out = ".headerlink, script, style, h1, .botones-cuaderno";
    article.querySelectorAll(left_out).forEach((element) => element.remove());
    return article.textContent;
  };
});
