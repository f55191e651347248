from django.urls import URLPattern, path

from .views import broker, claims, ledger, matches, requests, reviews, secondments

urlpatterns: list[URLPattern] = [
    path("support/", requests.overview, name="support"),
    path("support/requests/new/", requests.request_new, name="support-request-new"),
    path("support/requests/<int:pk>/", requests.request_detail, name="support-request"),
    path("support/offers/new/", requests.offer_new, name="support-offer-new"),
    path("support/offers/<int:pk>/", requests.offer_detail, name="support-offer"),
    path("support/broker/", broker.broker, name="support-broker"),
    path("support/broker/<int:pk>/", broker.broker_run, name="support-broker-run"),
    path("support/matches/<int:pk>/decide/", matches.match_decide, name="support-match-decide"),
    path("support/reviews/", reviews.review_list, name="support-reviews"),
    path("support/reviews/new/", reviews.review_new, name="support-review-new"),
    path("support/reviews/<int:pk>/", reviews.review_detail, name="support-review"),
    path("support/reviews/<int:pk>/stage/", reviews.review_stage, name="support-review-stage"),
    path(
        "support/reviews/<int:pk>/details/", reviews.review_details, name="support-review-details"
    ),
    path("support/reviews/<int:pk>/team/", reviews.review_team, name="support-review-team"),
    path(
        "support/reviews/<int:pk>/actions/", reviews.review_actions, name="support-review-actions"
    ),
    path(
        "support/reviews/<int:pk>/documents/<slug:kind>/",
        reviews.review_document,
        name="support-review-document",
    ),
    path("support/secondments/", secondments.secondment_list, name="support-secondments"),
    path("support/secondments/new/", secondments.secondment_new, name="support-secondment-new"),
    path("support/secondments/<int:pk>/", secondments.secondment_detail, name="support-secondment"),
    path(
        "support/secondments/<int:pk>/delivered/",
        secondments.secondment_delivered,
        name="support-secondment-delivered",
    ),
    path("support/claims/new/", claims.claim_new, name="support-claim-new"),
    path("support/claims/<int:pk>/", claims.claim_detail, name="support-claim"),
    path("support/claims/<int:pk>/decide/", claims.claim_decide, name="support-claim-decide"),
    path("support/ledger/", ledger.ledger_year, name="support-ledger"),
    path("support/ledger/record/", ledger.ledger_record, name="support-ledger-record"),
    path("support/ledger/<str:code>/", ledger.ledger_authority, name="support-ledger-authority"),
]
