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
from sklearn.cluster import DBSCAN, KMeans
from sklearn.mixture import GaussianMixture
from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor
from sklearn.decomposition import PCA
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge
from sklearn.naive_bayes import GaussianNB, MultinomialNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.svm import SVC, LinearSVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
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

# Trees: scikit-learn breaks ties between equally good splits by a random feature order, so each reference tree is
# one whose predictions are the same for every random_state tried (ties there only swap equivalent splits), and
# the test compares predictions, not node order or feature importances (which ties do change).
def tie_free(make, X, y, predict="predict"):
    outputs = [getattr(make(rs).fit(X, y), predict)(X) for rs in range(10)]
    assert all(np.allclose(outputs[0], o, rtol=0, atol=1e-10) for o in outputs), "ties change the predictions"


tie_free(lambda rs: DecisionTreeRegressor(max_depth=5, random_state=rs), boston_X, boston_y)
tie_free(lambda rs: DecisionTreeClassifier(max_depth=4, random_state=rs), penguins_X, penguins_y, "predict_proba")
tie_free(lambda rs: DecisionTreeClassifier(criterion="entropy", max_depth=3, min_samples_leaf=5, random_state=rs),
         penguins_X, penguins_y, "predict_proba")
tie_free(lambda rs: DecisionTreeRegressor(random_state=rs, min_samples_leaf=10, ccp_alpha=0.5), boston_X, boston_y)
regression_tree = DecisionTreeRegressor(max_depth=5, random_state=0).fit(boston_X, boston_y)
penguin_tree = DecisionTreeClassifier(max_depth=4, random_state=0).fit(penguins_X, penguins_y)
entropy_tree = DecisionTreeClassifier(criterion="entropy", max_depth=3, min_samples_leaf=5, random_state=0).fit(penguins_X, penguins_y)
path = DecisionTreeRegressor(random_state=0, min_samples_leaf=10).cost_complexity_pruning_path(boston_X, boston_y)
pruned = DecisionTreeRegressor(random_state=0, min_samples_leaf=10, ccp_alpha=0.5).fit(boston_X, boston_y)
out["trees"] = {
    "regression": {"predict": regression_tree.predict(boston_X).tolist(), "nodes": int(regression_tree.tree_.node_count)},
    "gini": {"proba": penguin_tree.predict_proba(penguins_X).tolist(), "nodes": int(penguin_tree.tree_.node_count)},
    "entropy": {"proba": entropy_tree.predict_proba(penguins_X).tolist(), "nodes": int(entropy_tree.tree_.node_count)},
    "ccpPath": {"alphas": path.ccp_alphas.tolist(), "impurities": path.impurities.tolist()},
    "pruned": {"predict": pruned.predict(boston_X).tolist(), "leaves": int(pruned.get_n_leaves())},
}

# Gradient boosting: deterministic without subsampling, so the same trees and leaf steps give the same predictions.
def boosting(make, X, y, predict):
    tie_free(make, X, y, predict)
    return getattr(make(0).fit(X, y), predict)(X).tolist()


pair = penguins_y < 2  # Adelie against Chinstrap, the pair that overlaps
out["boosting"] = {
    "squared": boosting(lambda rs: GradientBoostingRegressor(n_estimators=30, random_state=rs), boston_X, boston_y, "predict"),
    "absolute": boosting(lambda rs: GradientBoostingRegressor(loss="absolute_error", n_estimators=10, max_depth=2, random_state=rs),
                         boston_X, boston_y, "predict"),
    "binary": boosting(lambda rs: GradientBoostingClassifier(n_estimators=20, max_depth=2, random_state=rs),
                       penguins_X[pair], penguins_y[pair], "predict_proba"),
    "multiclass": boosting(lambda rs: GradientBoostingClassifier(n_estimators=20, max_depth=2, random_state=rs),
                           penguins_X, penguins_y, "predict_proba"),
}

# Support vector machines, solved to a tight tolerance so the comparison is of the optimum, not the stopping point.
iris_Z = StandardScaler().fit_transform(iris_X)
svc = SVC(C=1.0, kernel="rbf", gamma="scale", tol=1e-8, decision_function_shape="ovo").fit(iris_X[::2], iris_y[::2])
svc_poly = SVC(C=0.5, kernel="poly", degree=2, gamma="auto", coef0=1.0, tol=1e-8, decision_function_shape="ovo").fit(
    iris_Z[::2], iris_y[::2])
linear_svc = LinearSVC(C=0.5, loss="hinge", tol=1e-10, max_iter=1000000).fit(iris_Z, iris_y)
binary_svc = LinearSVC(C=0.5, loss="hinge", tol=1e-10, max_iter=1000000).fit(iris_Z[pair_iris := iris_y > 0], iris_y[pair_iris])
out["svm"] = {
    "rbf": {"decision": svc.decision_function(iris_X[1::2]).tolist(), "predict": svc.predict(iris_X[1::2]).tolist(),
            "supportCount": int(svc.support_.size), "intercept": svc.intercept_.tolist()},
    "poly": {"decision": svc_poly.decision_function(iris_Z[1::2]).tolist()},
    "linear": {"coef": linear_svc.coef_.tolist(), "intercept": linear_svc.intercept_.tolist()},
    "linearBinary": {"coef": binary_svc.coef_.ravel().tolist(), "intercept": float(binary_svc.intercept_[0])},
}

# DBSCAN on standardized iris; Gaussian mixtures run to convergence from a k-means start, so the test compares the
# optimum reached (components matched by their means), not the path to it.
out["dbscan"] = {
    "labels": DBSCAN(eps=0.6, min_samples=5).fit(iris_Z).labels_.tolist(),
    "core": DBSCAN(eps=0.6, min_samples=5).fit(iris_Z).core_sample_indices_.tolist(),
}
mixtures = {}
for kind in ("full", "diag"):
    gm = GaussianMixture(n_components=3, covariance_type=kind, tol=1e-10, max_iter=1000, random_state=0).fit(iris_X)
    mixtures[kind] = {"weights": gm.weights_.tolist(), "means": gm.means_.tolist(), "score": float(gm.score(iris_X)),
                      "bic": float(gm.bic(iris_X))}
out["gaussianMixture"] = mixtures

poly = PolynomialFeatures(degree=3)
out["polynomial"] = {"input": [[1.5, -2.0, 3.0]], "output": poly.fit_transform([[1.5, -2.0, 3.0]]).tolist()}
inter = PolynomialFeatures(degree=3, interaction_only=True, include_bias=False)
out["polynomialInteraction"] = inter.fit_transform([[1.5, -2.0, 3.0]]).tolist()

with open(out_path, "w") as f:
    json.dump(out, f, indent=1)
print(f"wrote {out_path} with scikit-learn {sklearn.__version__}")
