"""Reference fits from scikit-learn for test/sklearn.test.ts.

Not part of the package's runtime or tests: run by hand, its output is committed. scikit-learn 1.2.1 came from
Debian (`apt-get install python3-sklearn`; Debian's /usr/bin/python3 has it):

    pnpm --filter @mle/classic-ml exec tsx --conditions=@mle/source scripts/export-datasets.ts /tmp/classic-ml-data.json
    /usr/bin/python3 packages/classic-ml/scripts/sklearn-reference.py /tmp/classic-ml-data.json \
        packages/classic-ml/test/fixtures/sklearn-reference.json

The data are iris, penguins and Boston housing as @mle/datasets loads them; the fixture records each one's row
count and feature sum so the test can tell it is fitting the same numbers. Solvers run to tight tolerances so the
comparison measures the models, not where an optimizer stopped.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge
from sklearn.naive_bayes import GaussianNB, MultinomialNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

data_path, out_path = sys.argv[1], sys.argv[2]
with open(data_path) as f:
    data = json.load(f)
iris_X, iris_y = np.array(data["iris"]["X"]), np.array(data["iris"]["y"])
boston_X, boston_y = np.array(data["boston"]["X"]), np.array(data["boston"]["y"])
penguins_X, penguins_y = np.array(data["penguins"]["X"]), np.array(data["penguins"]["y"])


def fingerprint(X):
    return {"rows": int(X.shape[0]), "sum": float(X.sum())}


def linear(model):
    return {"coef": model.coef_.ravel().tolist(), "intercept": float(np.ravel(model.intercept_)[0])}


out = {
    "sklearn": sklearn.__version__,
    "data": {"iris": fingerprint(iris_X), "boston": fingerprint(boston_X), "penguins": fingerprint(penguins_X)},
}

out["linearRegression"] = linear(LinearRegression().fit(boston_X, boston_y))
out["ridge"] = linear(Ridge(alpha=1.0).fit(boston_X, boston_y))
scaler = StandardScaler().fit(boston_X)
boston_Z = scaler.transform(boston_X)
out["standardScaler"] = {"mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist()}
out["lasso"] = linear(Lasso(alpha=0.1, tol=1e-12, max_iter=100000).fit(boston_Z, boston_y))
out["elasticNet"] = linear(ElasticNet(alpha=0.1, l1_ratio=0.5, tol=1e-12, max_iter=100000).fit(boston_Z, boston_y))

multinomial = LogisticRegression(C=1.0, tol=1e-10, max_iter=10000).fit(iris_X, iris_y)
out["logisticMultinomial"] = {
    "coef": multinomial.coef_.tolist(),
    "intercept": multinomial.intercept_.tolist(),
    "proba": multinomial.predict_proba(iris_X[::15]).tolist(),
}
# Binary: versicolor (1) against virginica (2), the pair that overlaps.
pair = iris_y > 0
binary = LogisticRegression(C=0.5, tol=1e-10, max_iter=10000).fit(iris_X[pair], iris_y[pair])
out["logisticBinary"] = linear(binary)

pca = PCA().fit(iris_X)
out["pca"] = {
    "components": pca.components_.tolist(),
    "explainedVariance": pca.explained_variance_.tolist(),
    "explainedVarianceRatio": pca.explained_variance_ratio_.tolist(),
    "singularValues": pca.singular_values_.tolist(),
}

kmeans = KMeans(n_clusters=3, n_init=10, random_state=0).fit(iris_X)
out["kmeans"] = {
    "inertia": float(kmeans.inertia_),
    "labels": kmeans.labels_.tolist(),
    "silhouette": float(silhouette_score(iris_X, kmeans.labels_)),
    "ari": float(adjusted_rand_score(iris_y, kmeans.labels_)),
}

# Neighbours and naive Bayes: fitted on the even rows of iris, asked about the odd ones.
even, odd = iris_X[::2], iris_X[1::2]
out["knn"] = {
    "uniform": KNeighborsClassifier(n_neighbors=5).fit(even, iris_y[::2]).predict_proba(odd).tolist(),
    "distance": KNeighborsClassifier(n_neighbors=7, weights="distance").fit(even, iris_y[::2]).predict(odd).tolist(),
    "regression": KNeighborsRegressor(n_neighbors=4).fit(boston_X[::2], boston_y[::2]).predict(boston_X[1::2]).tolist(),
}
gnb = GaussianNB().fit(even, iris_y[::2])
out["gaussianNB"] = {"theta": gnb.theta_.tolist(), "var": gnb.var_.tolist(), "proba": gnb.predict_proba(odd).tolist()}
mnb = MultinomialNB(alpha=0.5).fit(even, iris_y[::2])
out["multinomialNB"] = {"featureLogProb": mnb.feature_log_prob_.tolist(), "proba": mnb.predict_proba(odd).tolist()}

poly = PolynomialFeatures(degree=3)
out["polynomial"] = {"input": [[1.5, -2.0, 3.0]], "output": poly.fit_transform([[1.5, -2.0, 3.0]]).tolist()}
inter = PolynomialFeatures(degree=3, interaction_only=True, include_bias=False)
out["polynomialInteraction"] = inter.fit_transform([[1.5, -2.0, 3.0]]).tolist()

with open(out_path, "w") as f:
    json.dump(out, f, indent=1)
print(f"wrote {out_path} with scikit-learn {sklearn.__version__}")
