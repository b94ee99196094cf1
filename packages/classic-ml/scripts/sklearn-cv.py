"""scikit-learn's cross-validated scores on the bench's own folds, for bench/sklearn-cv.json.

Not part of the package's runtime or tests: run by hand, its output is committed, and the bench prints it beside
ours as the column "scikit-learn". scikit-learn 1.2.1 from Debian (`apt-get install python3-sklearn`):

    pnpm --filter @mle/classic-ml exec tsx --conditions=@mle/source scripts/export-datasets.ts /tmp/classic-ml-data.json
    /usr/bin/python3 packages/classic-ml/scripts/sklearn-cv.py /tmp/classic-ml-data.json \
        packages/classic-ml/bench/sklearn-cv.json

Each case fits the scikit-learn model with the hyperparameters the bench gives ours (bench/cases.ts), on the same
ten folds, features standardized on each training fold, and pools accuracy (R² for Boston) over the held-out rows
as the bench does. Models with randomness (trees break ties between equal splits by a random feature order;
forests and boosting draw samples) are run for random_state 0–9: the file keeps the mean, lowest and highest.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor, RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import Lasso, LinearRegression, LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, r2_score
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

data_path, out_path = sys.argv[1], sys.argv[2]
with open(data_path) as f:
    data = json.load(f)

CLASSIFIERS = {
    "logreg": lambda rs: LogisticRegression(max_iter=1000),
    "knn": lambda rs: KNeighborsClassifier(),
    "gnb": lambda rs: GaussianNB(),
    "tree": lambda rs: DecisionTreeClassifier(min_samples_split=4, random_state=rs),
    "forest": lambda rs: RandomForestClassifier(random_state=rs),
    "gbm": lambda rs: GradientBoostingClassifier(random_state=rs),
    "svm": lambda rs: SVC(),
    "linear-svm": lambda rs: LinearSVC(loss="hinge", max_iter=1000, random_state=rs),
}
REGRESSORS = {
    "linreg": lambda rs: LinearRegression(),
    "ridge": lambda rs: Ridge(),
    "lasso": lambda rs: Lasso(alpha=0.05),
    "knn": lambda rs: KNeighborsRegressor(),
    "tree": lambda rs: DecisionTreeRegressor(min_samples_split=4, random_state=rs),
    "forest": lambda rs: RandomForestRegressor(random_state=rs),
    "gbm": lambda rs: GradientBoostingRegressor(random_state=rs),
}
RANDOM = {"tree", "forest", "gbm"}


def cross_validate(make, X, y, folds, classification):
    predicted = np.zeros(len(y))
    for test in folds:
        train = np.setdiff1d(np.arange(len(y)), test)
        scaler = StandardScaler().fit(X[train])
        model = make().fit(scaler.transform(X[train]), y[train])
        predicted[test] = model.predict(scaler.transform(X[test]))
    return float(accuracy_score(y, predicted) if classification else r2_score(y, predicted))


out = {"sklearn": sklearn.__version__, "cases": {}}
for name, task in (("iris", "classification"), ("penguins", "classification"), ("boston", "regression")):
    X, y = np.array(data[name]["X"]), np.array(data[name]["y"])
    folds = data["folds"][name]
    classification = task == "classification"
    for model, make in (CLASSIFIERS if classification else REGRESSORS).items():
        seeds = range(10) if model in RANDOM else [0]
        scores = [cross_validate(lambda: make(rs), X, y, folds, classification) for rs in seeds]
        out["cases"][f"{name}-{model}"] = {"mean": float(np.mean(scores)), "min": min(scores), "max": max(scores)}
        print(f"{name}-{model}: {np.mean(scores):.4f} ({min(scores):.4f}–{max(scores):.4f})")

with open(out_path, "w") as f:
    json.dump(out, f, indent=1)
print(f"wrote {out_path} with scikit-learn {sklearn.__version__}")
