"""Reference TF-IDF matrices and logistic-regression fits from scikit-learn, for test/tfidf-logistic.test.ts.

Not part of the package's runtime or tests: run by hand, its output is committed. scikit-learn 1.2.1 came from
Debian (`apt-get install python3-sklearn`; Debian's /usr/bin/python3 has it):

    /usr/bin/python3 packages/nlp/scripts/sklearn-reference.py \
        packages/datasets/node_modules/sentiment/test/fixtures packages/nlp/test/fixtures/sklearn-tfidf-logistic.json

The documents are the first 80 labelled sentences of each of the three sources, cut into words by a plain regex
here; the words are stored in the fixture, so the TypeScript side tests its vectorizer and classifier on exactly
these tokens and its own word rules do not enter into it.
"""
import json
import re
import sys

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

source_dir, out_path = sys.argv[1], sys.argv[2]
docs, labels = [], []
for source in ("amazon", "imdb", "yelp"):
    with open(f"{source_dir}/{source}.json") as f:
        rows = [r for r in json.load(f) if r.get("text") and r.get("class") in (0, 1)]
    for row in rows[:80]:
        docs.append(re.findall(r"[a-z0-9']+", row["text"].lower()))
        labels.append(row["class"])


def sig(x):
    return float(f"{x:.15g}")


def csr(matrix):
    m = matrix.tocsr()
    m.sort_indices()
    return {"indptr": m.indptr.tolist(), "indices": m.indices.tolist(), "data": [sig(v) for v in m.data]}


variants = [
    {"smoothIdf": True, "sublinearTf": False, "norm": "l2", "useIdf": True},
    {"smoothIdf": False, "sublinearTf": False, "norm": "l2", "useIdf": True},
    {"smoothIdf": True, "sublinearTf": True, "norm": "l2", "useIdf": True},
    {"smoothIdf": True, "sublinearTf": False, "norm": "l1", "useIdf": True},
    {"smoothIdf": True, "sublinearTf": False, "norm": None, "useIdf": False},
    {"smoothIdf": True, "sublinearTf": False, "norm": "l2", "useIdf": True, "minDf": 2},
]
tfidf = []
for v in variants:
    vectorizer = TfidfVectorizer(
        analyzer=lambda d: d,
        smooth_idf=v["smoothIdf"],
        sublinear_tf=v["sublinearTf"],
        norm=v["norm"],
        use_idf=v["useIdf"],
        min_df=v.get("minDf", 1),
    )
    x = vectorizer.fit_transform(docs)
    vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    tfidf.append({
        "options": v,
        "vocabulary": vocabulary,
        "idf": [sig(i) for i in vectorizer.idf_] if v["useIdf"] else None,
        "matrix": csr(x),
    })

# Logistic regression on the default TF-IDF matrix: L2-penalised, intercept unpenalised, solved by Newton's method
# with a Cholesky solve to a gradient of about 1e-15, so the optimum (unique: the objective is strictly convex) is
# what is compared, not where a solver stopped. (scikit-learn's lbfgs stops on its relative-decrease rule well
# before that: on these rows at C = 10 it left a gradient of 1e-3.)
x = TfidfVectorizer(analyzer=lambda d: d).fit_transform(docs)
fits = []
for c in (1.0, 10.0):
    model = LogisticRegression(C=c, solver="newton-cholesky", tol=1e-12, max_iter=1000).fit(x, labels)
    fits.append({
        "C": c,
        "coef": [sig(w) for w in model.coef_[0]],
        "intercept": sig(model.intercept_[0]),
        "probabilities": [sig(p) for p in model.predict_proba(x[:10])[:, 1]],
        "iterations": int(model.n_iter_[0]),
    })

with open(out_path, "w") as f:
    json.dump({
        "made_by": "packages/nlp/scripts/sklearn-reference.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "documents": docs,
        "labels": labels,
        "tfidf": tfidf,
        "logistic": fits,
    }, f, separators=(",", ":"))
    f.write("\n")
