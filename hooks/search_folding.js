// Appended to the theme's search worker by hooks/search_folding.py, so that
// search finds a word however the reader writes its accents or its nukta:
// "gradient" finds "gradiënt", "tokenow" finds "tokenów", and "टोकनाइजर"
// finds "टोकनाइज़र". Every term, of the index and of the query, is folded the
// same way: Unicode NFD, then the Latin combining marks and the Devanagari
// nukta (U+093C) dropped; "ł", which has no decomposition, becomes "l". Other
// Devanagari signs (vowel signs, virama) are letters of the word, and stay.
(function (lunr) {
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f\u093c]/g, "").replace(/ł/g, "l");
  }

  function foldTerm(token) {
    return token.update(fold);
  }
  lunr.Pipeline.registerFunction(foldTerm, "foldTerm");

  // The index, which the worker builds from the pages: each term is folded
  // after the rest of the site's pipeline (stop words are written unfolded).
  var add = lunr.Builder.prototype.add;
  lunr.Builder.prototype.add = function (doc, attributes) {
    if (!this.foldsTerms) {
      this.pipeline.add(foldTerm);
      this.foldsTerms = true;
    }
    return add.call(this, doc, attributes);
  };

  // The query: the theme gives every term a trailing wildcard, and lunr runs
  // no pipeline on a term with a wildcard, so each clause's term is folded.
  var clause = lunr.Query.prototype.clause;
  lunr.Query.prototype.clause = function (c) {
    if (typeof c.term === "string") c.term = fold(c.term);
    return clause.call(this, c);
  };
})(self.lunr);
