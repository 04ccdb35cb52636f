package io.modelyard.dataset;

import io.modelyard.common.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
class DatasetVersionRepository implements PanacheRepositoryBase<DatasetVersion, String> {

    Optional<DatasetVersion> findVersion(String id) {
        return find("id", id).firstResultOptional();
    }

    List<DatasetVersion> page(String datasetId, PageRequest page) {
        String after = page.after("dsv");
        if (after != null) {
            return find("datasetId = ?1 and id < ?2 order by id desc", datasetId, after)
                    .page(0, page.limit() + 1).list();
        }
        return find("datasetId = ?1 order by id desc", datasetId).page(0, page.limit() + 1).list();
    }

    List<DatasetVersion> ofDataset(String datasetId) {
        return list("datasetId = ?1 order by number", datasetId);
    }

    /** The newest version of each of these datasets, in one query (a list page shows them all). */
    List<DatasetVersion> latestOf(List<String> datasetIds) {
        if (datasetIds.isEmpty()) {
            return List.of();
        }
        return getEntityManager().createQuery("select v from DatasetVersion v where v.datasetId in :ids and v.number"
                        + " = (select max(w.number) from DatasetVersion w where w.datasetId = v.datasetId)",
                        DatasetVersion.class)
                .setParameter("ids", datasetIds).getResultList();
    }

    Optional<DatasetVersion> first(String datasetId) {
        return find("datasetId = ?1 and number = 1", datasetId).firstResultOptional();
    }

    /** Whether any version (of any tenant, under operator mode) names {@code key} as its raw or version blob. */
    /** Whether a dataset has a recorded version (its shared blobs, such as images, are then in use). */
    boolean hasVersions(String datasetId) {
        return !getEntityManager().createNativeQuery("select 1 from dataset_versions where dataset_id = ?1 limit 1")
                .setParameter(1, datasetId).getResultList().isEmpty();
    }

    boolean references(String key) {
        return !getEntityManager().createNativeQuery("select 1 from dataset_versions where raw_key = ?1"
                        + " or blob_key = ?1 limit 1")
                .setParameter(1, key).getResultList().isEmpty();
    }
}
