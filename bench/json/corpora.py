"""Deterministic generated corpora, shaped like three kinds of real data.

* events: GitHub-archive-like events, nested objects (actor, repo, payload
  with commits), a few event types with different payload shapes;
* reddit: flat comment records, authors repeat a lot, bodies are unique text;
* yelp: business records whose "attributes" object has keys that vary a lot
  from record to record (the case that must not blow up the map tree).

`write_corpora(folder, megabytes)` writes events.json, reddit.json and
yelp.json (each a JSON array, about `megabytes` MB) and returns their paths;
the same arguments always give the same bytes.
"""
import json
import os
import random

WORDS = ("the of and to in is you that it he was for on are as with his they "
         "at be this have from or one had by word but not what all were we "
         "when your can said there use an each which she do how their if "
         "will up other about out many then them these so some her would "
         "make like him into time has look two more write go see number no "
         "way could people my than first water been call who oil its now "
         "find long down day did get come made may part café naïve 東京 "
         "emoji 😀").split()


def sentence(rng, low, high):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def event(rng, index, actors, repos):
    actor = actors[rng.randrange(len(actors))]
    repo = repos[rng.randrange(len(repos))]
    kind = rng.choice(["PushEvent", "PushEvent", "WatchEvent", "IssuesEvent",
                       "CreateEvent"])
    record = {
        "id": str(2489651045 + index),
        "type": kind,
        "actor": actor,
        "repo": repo,
        "public": True,
        "created_at": "2015-01-01T%02d:%02d:%02dZ" % (
            rng.randrange(24), rng.randrange(60), rng.randrange(60)),
    }
    if kind == "PushEvent":
        record["payload"] = {
            "push_id": 536863970 + index, "size": 1, "distinct_size": 1,
            "ref": "refs/heads/master",
            "head": "%040x" % rng.getrandbits(160),
            "before": "%040x" % rng.getrandbits(160),
            "commits": [{
                "sha": "%040x" % rng.getrandbits(160),
                "author": {"email": actor["login"] + "@example.com",
                           "name": actor["login"].title()},
                "message": sentence(rng, 3, 15),
                "distinct": True,
                "url": "https://api.github.com/repos/%s/commits/%x" % (
                    repo["name"], rng.getrandbits(64)),
            } for _ in range(rng.randint(1, 3))],
        }
    elif kind == "IssuesEvent":
        record["payload"] = {
            "action": rng.choice(["opened", "closed"]),
            "issue": {"number": rng.randrange(5000),
                      "title": sentence(rng, 2, 8),
                      "state": "open", "comments": rng.randrange(30),
                      "labels": [], "body": sentence(rng, 5, 60)}}
    elif kind == "CreateEvent":
        record["payload"] = {"ref": None, "ref_type": "repository",
                             "master_branch": "master",
                             "description": sentence(rng, 2, 10),
                             "pusher_type": "user"}
    else:
        record["payload"] = {"action": "started"}
    return record


def make_events(rng, count):
    actors = [{"id": 1000 + i, "login": "user%d" % i, "gravatar_id": "",
               "url": "https://api.github.com/users/user%d" % i,
               "avatar_url": "https://avatars.githubusercontent.com/u/%d" % i}
              for i in range(2000)]
    repos = [{"id": 5000 + i, "name": "user%d/project%d" % (i % 2000, i),
              "url": "https://api.github.com/repos/project%d" % i}
             for i in range(3000)]
    return [event(rng, i, actors, repos) for i in range(count)]


def make_reddit(rng, count):
    authors = ["author_%d" % i for i in range(500)]
    subreddits = ["AskReddit", "pics", "funny", "science", "worldnews"]
    return [{
        "author": rng.choice(authors),
        "author_flair_css_class": None,
        "body": sentence(rng, 5, 80),
        "controversiality": 0,
        "created_utc": 1420070400 + i,
        "distinguished": None,
        "edited": False,
        "gilded": 0,
        "id": "c%06x" % i,
        "link_id": "t3_%05x" % rng.randrange(20000),
        "parent_id": "t1_%06x" % rng.randrange(1000000),
        "retrieved_on": 1425124228,
        "score": rng.randrange(-10, 500),
        "subreddit": rng.choice(subreddits),
        "ups": rng.randrange(500),
    } for i in range(count)]


ATTRIBUTE_NAMES = (["BusinessAcceptsCreditCards", "RestaurantsPriceRange2",
                    "WiFi", "Parking", "GoodForKids", "NoiseLevel", "Alcohol",
                    "OutdoorSeating", "RestaurantsDelivery", "HasTV",
                    "Ambience", "BikeParking", "Caters", "DogsAllowed"] +
                   ["Attribute%d" % i for i in range(400)])


def make_yelp(rng, count):
    records = []
    for i in range(count):
        names = rng.sample(ATTRIBUTE_NAMES, rng.randint(0, 12))
        attributes = {}
        for name in names:
            attributes[name] = rng.choice(["True", "False", "u'free'", "2",
                                           "{'garage': False}"])
        records.append({
            "business_id": "%022x" % rng.getrandbits(88),
            "name": sentence(rng, 1, 3).title(),
            "address": "%d %s St" % (rng.randrange(9999), rng.choice(WORDS)),
            "city": rng.choice(["Phoenix", "Toronto", "Las Vegas", "Montréal"]),
            "latitude": rng.uniform(30, 50), "longitude": rng.uniform(-120, -70),
            "stars": rng.choice([1.0, 1.5, 2.0, 3.5, 4.0, 4.5, 5.0]),
            "review_count": rng.randrange(1000),
            "is_open": rng.randrange(2),
            "attributes": attributes,
            "categories": ", ".join(rng.sample(WORDS[:40], 3)),
        })
    return records


MAKERS = [("events", make_events, 1300), ("reddit", make_reddit, 1980),
          ("yelp", make_yelp, 2340)]


def write_corpora(folder, megabytes=30):
    os.makedirs(folder, exist_ok=True)
    paths = []
    for name, maker, records_per_mb in MAKERS:
        path = os.path.join(folder, "%s-%dmb.json" % (name, megabytes))
        if not os.path.exists(path):
            rng = random.Random("rplug-%s" % name)
            data = json.dumps(maker(rng, records_per_mb * megabytes),
                              ensure_ascii=False).encode("utf-8")
            with open(path + ".tmp", "wb") as f:
                f.write(data)
            os.replace(path + ".tmp", path)
        paths.append(path)
    return paths
