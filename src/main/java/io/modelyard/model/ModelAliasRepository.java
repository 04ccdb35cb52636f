package io.modelyard.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
class ModelAliasRepository implements PanacheRepositoryBase<ModelAlias, String> {

    Optional<ModelAlias> findAlias(String alias) {
        return find("alias", alias).firstResultOptional();
    }

    List<ModelAlias> forModel(String modelId) {
        return list("modelId = ?1 order by alias", modelId);
    }

    List<ModelAlias> all() {
        return list("order by alias");
    }
}
